# seeds/003 (unit "Multi-threading and multi-processing in Python"), "Create and Start a
# Thread". As shown.
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

    print("Statement: Thread Execution Finished.")
