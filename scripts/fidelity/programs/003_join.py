# seeds/003 (unit "Multi-threading and multi-processing in Python"), "join() Method – The
# Saviour". The slide's line numbers removed.
import threading

# Creating Target Function
def num_gen(num):
    for n in range(num):
        print("Thread: ", n)

# Main Code of the Program
if __name__ == "__main__":
   print("Statement: Creating and Starting a Thread.")
   thread = threading.Thread(target=num_gen, args=(3,))
   thread.start()
   thread.join()
   print("Statement: Thread Execution Finished.")
