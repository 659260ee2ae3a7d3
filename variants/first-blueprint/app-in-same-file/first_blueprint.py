from flask import Flask, Blueprint

app = Flask(__name__)
blue = Blueprint('blue', __name__)


@blue.route('/index/', methods=['get'])
def hello():
    return '<h1>welcome to BeiJing</h1>'


app.register_blueprint(blueprint=blue)

if __name__ == '__main__':
    app.run(debug=True)
