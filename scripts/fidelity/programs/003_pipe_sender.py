# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Example: Using Pipe".
# The slide's blocks joined, conn.close() indented into sender() (the extraction lost that
# indentation).
from multiprocessing import Process, Pipe

def sender(conn):
    conn.send("Hello from sender!")
    conn.close()

def receiver(conn):
    message = conn.recv()
    print(f"Received: {message}")

if __name__ == "__main__":
    parent_conn, child_conn = Pipe()
    p1 = Process(target=sender, args=(child_conn,))
    p2 = Process(target=receiver, args=(parent_conn,))

    p1.start()
    p2.start()
    p1.join()
    p2.join()
