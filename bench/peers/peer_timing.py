"""The peers' timing loop: the CPU time (time.process_time) of one iteration, as the best of 8 chunks
whose size is doubled until a chunk lasts seconds / 8 (robust to other processes on a shared machine).
"""
import time


def best_us(chunk, seconds, count=4):
    """Microseconds per iteration of chunk(count), which runs count iterations (warmed up by the caller)."""
    while True:
        t0 = time.process_time()
        chunk(count)
        dt = time.process_time() - t0
        if dt >= seconds / 8 or count >= 1_000_000:
            break
        count *= 2
    best = dt / count
    for _ in range(7):
        t0 = time.process_time()
        chunk(count)
        best = min(best, (time.process_time() - t0) / count)
    return best * 1e6
