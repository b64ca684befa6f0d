# The paste server's program (tests/browser/repl.py runs this text with `python -c` on a
# terminal of its own, so that it starts with tty streams as `python -i` does, with sys.path[0]
# the working directory and no __file__; no docstring, it would become __main__.__doc__).
#
# It imports the modules named on its command line (torch) and nothing else heavy, and does no
# tensor work, so torch has started no thread pool to fork across. For each paste it forks a
# child that becomes a fresh interactive python on the paste's terminal: a new session with
# that terminal as stdin, stdout and stderr, __main__ emptied of this program's names, random
# generators reseeded from the OS, PYTHONINSPECT set. This program then ends, and CPython runs
# its own interactive loop, as after `python -i -c ...`: pymain_repl (Modules/main.c, 3.11 to
# 3.13) reads PYTHONINSPECT after the program ran, "to give programs the opportunity to set it
# from Python", calls sys.__interactivehook__ (readline) and reads stdin (3.13: through
# _pyrepl, which falls back to the basic loop on TERM=dumb, as in a new `python -i`).
#
# Requests come on the socket whose descriptor is sys.argv[1]: one byte, with the paste's
# terminal (a pty slave) attached; the reply is the child's pid in 8 bytes.
import os
import signal
import socket
import sys


def serve(sock):
    """The paste terminal's descriptor, in a forked child; None when the client hangs up."""
    for name in sys.argv[2:]:
        __import__(name)
    children = set()
    while True:
        reap(children, os.WNOHANG)
        message, fds, _, _ = socket.recv_fds(sock, 1, 1)
        if not message:
            for pid in children:
                os.kill(pid, signal.SIGKILL)
            reap(children, 0)
            return None
        (terminal,) = fds
        pid = os.fork()
        if pid == 0:
            sock.close()
            return terminal
        children.add(pid)
        os.close(terminal)
        sock.sendall(pid.to_bytes(8, "little"))


def reap(children, options):
    for pid in list(children):
        if os.waitpid(pid, options)[0] == pid:
            children.remove(pid)


def become_fresh_repl(terminal):
    # What subprocess does for `python -i` with start_new_session=True and the pty as stdio.
    os.setsid()
    for fd in (0, 1, 2):
        os.dup2(terminal, fd)
    os.close(terminal)
    sys.argv[:] = [""]  # as in `python -i`
    # A fresh interpreter draws its seeds from the OS; a fork would share the server's.
    if "random" in sys.modules:
        sys.modules["random"].seed()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()
    if "torch" in sys.modules:
        sys.modules["torch"].seed()
    os.environ["PYTHONINSPECT"] = "1"
    site_hook = getattr(sys, "__interactivehook__", None)

    def interactive_hook(environ=os.environ, sys=sys, site_hook=site_hook):
        # Called once CPython has read PYTHONINSPECT and before the first prompt: the paste must
        # not see the variable (a python it starts would turn interactive too).
        del environ["PYTHONINSPECT"]
        if site_hook is None:
            del sys.__interactivehook__
        else:
            sys.__interactivehook__ = site_hook
            site_hook()

    sys.__interactivehook__ = interactive_hook
    main = sys.modules["__main__"].__dict__
    for name in [name for name in main if not (name.startswith("__") and name.endswith("__"))]:
        del main[name]


terminal = serve(socket.socket(fileno=int(sys.argv[1])))
if terminal is None:
    os._exit(0)  # nothing to flush; finalizing torch would only take time
become_fresh_repl(terminal)
