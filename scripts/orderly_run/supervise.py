"""Run a command (QEMU) with its output streamed line by line and two
deadlines: one for the whole run, one for silence on stdout (the UART).

Nothing here may hang: the pipes are read by threads that only hand chunks
to a queue, and the main loop never blocks longer than the nearest deadline.
The child gets its own session so that on a timeout the whole process group
(QEMU, or a wrapper script and everything it started) is ended; and it is
tied to the runner (tied_to_runner), so that it dies with the runner even
when the runner gets no chance to end it.
"""
import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
import time

STDOUT, STDERR = "stdout", "stderr"
# After the child has exited, how long to wait for a grandchild that still
# holds the pipes before ending the group: the run is over either way.
EXIT_GRACE = 1.0
# Poll interval for noticing that the child exited while the pipes stay open.
POLL = 0.25
# Between SIGTERM and SIGKILL: QEMU flushes its output and exits on SIGTERM.
TERM_GRACE = 2.0
PR_SET_PDEATHSIG = 1      # <linux/prctl.h>
# The signals that stop a run: a terminal's ^C, a CI job cancelled
# (SIGTERM), a closed terminal, ^\.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


class Interrupted(BaseException):
    """A stop signal arrived. Raised in the main thread wherever it is, and
    a BaseException like KeyboardInterrupt, so that it unwinds through
    every finally that ends what the runner started."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self):
        return signal.Signals(self.signum).name

    @property
    def status(self):
        """The conventional exit status of a process a signal ended."""
        return 128 + self.signum


def catch_stop_signals():
    """From now on each of STOP_SIGNALS raises Interrupted, the first one
    only: a second signal must not cut short the cleanup the first one
    started (which is bounded: TERM_GRACE per child)."""
    caught = []

    def on_signal(signum, frame):
        if not caught:
            caught.append(signum)
            raise Interrupted(signum)
    for sig in STOP_SIGNALS:
        # One ignored by whoever started us (nohup) stays ignored.
        if signal.getsignal(sig) != signal.SIG_IGN:
            signal.signal(sig, on_signal)


def _libc_prctl():
    """libc's prctl, looked up now: a forked child must not load libraries."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()


def tied_to_runner():
    """A preexec_fn for every child the runner starts (QEMU, PREPARE, make,
    dtc): the kernel SIGKILLs the child when the runner dies, even by
    SIGKILL or a crash, so no QEMU outlives its run. None where there is no
    prctl (the child then only dies when the runner ends it).

    Linux sends the signal when the *thread* that forked the child exits,
    so children are started from the main thread only, which lives as long
    as the runner."""
    if _PRCTL is None:
        return None
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the runner starts children from its main thread only "
                           "(PR_SET_PDEATHSIG follows the forking thread)")
    runner = os.getpid()

    def die_with_the_runner():
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL))
        # The runner may have died between fork and prctl: then nobody
        # would send the signal.
        if os.getppid() != runner:
            os.kill(os.getpid(), signal.SIGKILL)
    return die_with_the_runner


class Supervised:
    """What happened to one supervised process."""

    def __init__(self):
        self.status = None        # exit status; negative = signal; None = we ended it
        self.timeout = None       # "timeout after Ns" / "no output for Ns (...)"
        self.start_error = None   # the command could not be started at all
        self.seconds = 0.0


class _LineSplitter:
    """Bytes in, complete decoded lines out; keeps the unterminated tail."""

    def __init__(self):
        self._tail = b""

    def feed(self, chunk):
        *lines, self._tail = (self._tail + chunk).split(b"\n")
        return [_decode(line) for line in lines]

    def flush(self):
        tail, self._tail = self._tail, b""
        return [_decode(tail)] if tail else []

    def pending(self):
        return _decode(self._tail)


def _decode(raw):
    return raw.rstrip(b"\r").decode("utf-8", "replace")


def _pump(stream, tag, chunks):
    """Thread body: forward raw chunks; an empty chunk means end of stream."""
    fd = stream.fileno()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        chunks.put((tag, chunk))
        if not chunk:
            return


def _signal_group(proc, sig):
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def end_process_group(proc):
    """SIGTERM the child's group, then SIGKILL what is left; reap the child.
    The SIGKILL comes even if a stop signal cuts the grace short."""
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=TERM_GRACE)
    except subprocess.TimeoutExpired:
        pass
    finally:
        _signal_group(proc, signal.SIGKILL)
        proc.wait()


class _Watch:
    """The main loop of one run: lines out, deadlines checked."""

    def __init__(self, proc, start, total, idle, on_line, describe_last):
        self.proc = proc
        self.start, self.total, self.idle = start, total, idle
        self.on_line, self.describe_last = on_line, describe_last
        self.last_output = time.monotonic()   # idle time counts from QEMU's start
        self.chunks = queue.Queue()
        self.splitters = {STDOUT: _LineSplitter(), STDERR: _LineSplitter()}
        self.pumps = [threading.Thread(target=_pump, args=(stream, tag, self.chunks), daemon=True)
                      for stream, tag in ((proc.stdout, STDOUT), (proc.stderr, STDERR))]
        for pump in self.pumps:
            pump.start()

    def expired(self, now):
        """The timeout reason if a deadline has passed, else None."""
        if now >= self.start + self.total:
            return "timeout after %gs" % self.total
        if now >= self.last_output + self.idle:
            last = self.splitters[STDOUT].pending() or self.describe_last() or "(none)"
            return "no output for %gs (last line: %s)" % (self.idle, last.strip())
        return None

    def loop(self, result):
        open_streams = {STDOUT, STDERR}
        exited_at = None
        while open_streams:
            now = time.monotonic()
            result.timeout = self.expired(now)
            if result.timeout:
                return
            if exited_at is None and self.proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now >= exited_at + EXIT_GRACE:
                # The child is gone but something it started keeps the pipes
                # open; that something belongs to the run, so end it.
                _signal_group(self.proc, signal.SIGKILL)
                break
            wake = min(self.start + self.total, self.last_output + self.idle, now + POLL)
            try:
                tag, chunk = self.chunks.get(timeout=max(wake - now, 0.01))
            except queue.Empty:
                continue
            if not chunk:
                open_streams.discard(tag)
                continue
            if tag == STDOUT:
                self.last_output = time.monotonic()
            for line in self.splitters[tag].feed(chunk):
                self.on_line(tag, line)
        # Both pipes closed: the child has exited or is about to.
        try:
            remaining = self.start + self.total - time.monotonic()
            result.status = self.proc.wait(timeout=max(remaining, 0.01))
        except subprocess.TimeoutExpired:
            result.timeout = "timeout after %gs" % self.total

    def finish(self):
        """Deliver unterminated last lines, end the child, close the pipes."""
        for tag, splitter in self.splitters.items():
            for line in splitter.flush():
                self.on_line(tag, line)
        if self.proc.returncode is None:
            end_process_group(self.proc)
        # A reader still blocked (an escaped grandchild holds the pipe) keeps
        # its descriptor: closing it under the reader would let the reader
        # take data from a later file that reuses the number.
        for pump in self.pumps:
            pump.join(timeout=0.5)
        if not any(pump.is_alive() for pump in self.pumps):
            self.proc.stdout.close()
            self.proc.stderr.close()


def run(cmd, total, idle, on_line, describe_last=lambda: None, started=None):
    """Run cmd; call on_line(tag, text) for every output line as it arrives.

    total: seconds for the whole run, counted from `started` (a
    time.monotonic() value; default now) so that work done before QEMU,
    such as PREPARE, comes out of the same budget; idle: seconds without
    stdout output. describe_last() supplies the text for "(last line: ...)"
    on an idle timeout. Returns a Supervised."""
    result = Supervised()
    start = time.monotonic() if started is None else started
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True,
                                preexec_fn=tied_to_runner())
    except OSError as e:
        result.start_error = "cannot start %s: %s" % (cmd[0], e.strerror or e)
        return result
    watch = _Watch(proc, start, total, idle, on_line, describe_last)
    try:
        watch.loop(result)
    finally:
        watch.finish()
        result.seconds = time.monotonic() - start
    return result
