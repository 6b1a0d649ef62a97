"""Reads the CPU ticks of every thread of a running process from /proc (Linux); shared by bench/thread-cpu.py,
bench/q4_0-bound.py and bench/first-worker.py."""
import os
import time


def sample(pid, names, ticks):
    """Updates names[tid] (thread name, cut to 15 characters by the kernel) and ticks[tid] (user + system clock
    ticks so far) for every thread of pid; returns False once the process's task list is gone."""
    try:
        tids = os.listdir(f'/proc/{pid}/task')
    except OSError:
        return False
    for tid in tids:
        try:
            with open(f'/proc/{pid}/task/{tid}/stat') as f:
                stat = f.read()
        except OSError:
            continue   # the thread ended between the listing and the read
        fields = stat[stat.rindex(')') + 2:].split()
        names[tid] = stat[stat.index('(') + 1:stat.rindex(')')]
        ticks[tid] = int(fields[11]) + int(fields[12])   # utime + stime
    return True


def follow(proc, names, ticks, interval, after_sample):
    """Samples proc's threads (sample) every interval seconds until it exits, calling after_sample() after each
    sample; returns os.wait4's status and resource usage."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return status, usage
        sample(proc.pid, names, ticks)
        after_sample()
        time.sleep(interval)
