from flask import Flask, Blueprint

app = Flask(__name__)
blue = Blueprint('blue', __name__)


@app.route('/index/')
def index():
    return 'welcome to BeiJing'


if __name__ == '__main__':
    app.run()
