# seeds/004 (tutorial "Concurrency in Python"), "Daemon processes in Python". As shown.
import multiprocessing
import time

def nondaemonProcess():
    print("starting my Process")
    time.sleep(8)
    print("ending my Process")
def daemonProcess():
    while True:
        print("Hello")
        time.sleep(2)
if __name__ == '__main__':
    nondaemonProcess = multiprocessing.Process(target=nondaemonProcess)
    daemonProcess = multiprocessing.Process(target=daemonProcess)
    daemonProcess.daemon = True
    nondaemonProcess.daemon = False
    daemonProcess.start()
    nondaemonProcess.start()
