import uuid

for _ in range(3):
    print(uuid.uuid4())
