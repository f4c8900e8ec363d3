#!/usr/bin/env python3
"""Slow and idle clients against a live hub on loopback, with an honest station syncing
meanwhile (issue 17 items 3 and 4; Benchmarks/RELIABILITY-slow.md).

    slow-clients.py --port P --attack uploads|headers|connections --count N --seconds S \
        --token T --tributary BIN --station DB [--sources K]

- uploads:     N pushes with token T, each announcing 100,000 bytes and sending 1 byte/s;
- headers:     N connections sending a request head 1 byte every 0.5 s;
- connections: N connections that send nothing at all.
`--sources K` spreads the connections over 127.0.0.2 … 127.0.0.(K+1) (loopback only; the
honest station connects from 127.0.0.1, as another client would from its own address).

Every 2 s the honest station (`BIN --db DB`) writes one member and runs `sync`; its wall
times are the honest latency. Prints one JSON object: connections opened, refused at
connect, closed by the hub (and when), still open at the end, the most held at once, and the
honest syncs' latencies and failures. Bounded: it stops after S seconds and closes
everything it opened.
"""
import argparse
import json
import os
import selectors
import socket
import statistics
import subprocess
import threading
import time


def head(kind, token):
    if kind == "uploads":
        return (
            "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nTributary-Protocol: 1\r\n"
            "Tributary-Schema: county-work/1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: 100000\r\n\r\n{{"
        ).encode()
    if kind == "headers":
        return b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    return b""


def attack(args, stats, stop):
    selector = selectors.DefaultSelector()
    opened = {}
    start = time.monotonic()
    for index in range(args.count):
        source = f"127.0.0.{2 + index % args.sources}"
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((source, 0))
            sock.settimeout(5)
            sock.connect(("127.0.0.1", args.port))
            sock.setblocking(False)
            sock.send(head(args.attack, args.token))
        except OSError:
            stats["refused_at_connect"] += 1
            sock.close()
            continue
        opened[sock] = time.monotonic()
        selector.register(sock, selectors.EVENT_READ)
    stats["opened"] = len(opened)
    stats["most_held"] = len(opened)
    drip = b" " if args.attack == "uploads" else b"a"
    interval = 1.0 if args.attack == "uploads" else 0.5
    closed_after = []
    next_drip = time.monotonic()
    while opened and not stop.is_set():
        for key, _ in selector.select(timeout=0.1):
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                closed_after.append(time.monotonic() - opened.pop(sock))
                selector.unregister(sock)
                sock.close()
        if args.attack != "connections" and time.monotonic() >= next_drip:
            next_drip += interval
            for sock in list(opened):
                try:
                    sock.send(drip)
                except BlockingIOError:
                    pass
                except OSError:
                    closed_after.append(time.monotonic() - opened.pop(sock))
                    selector.unregister(sock)
                    sock.close()
        stats["open_now"] = len(opened)
    stats["closed_by_hub"] = len(closed_after)
    if closed_after:
        stats["closed_after_s"] = {
            "min": round(min(closed_after), 1), "median": round(statistics.median(closed_after), 1),
            "max": round(max(closed_after), 1)}
    stats["still_open_at_end"] = len(opened)
    stats["attack_seconds"] = round(time.monotonic() - start, 1)
    for sock in opened:
        sock.close()


def honest(args, stats, stop):
    latencies, failures, index = [], [], 0
    while not stop.is_set():
        index += 1
        subprocess.run(
            [args.tributary, "--db", args.station, "put", "member", f"m-honest-{os.getpid()}-{index}",
             "name=honest", "orgUnitId=yc-t02", "category=direct"],
            capture_output=True, check=False)
        began = time.monotonic()
        run = subprocess.run([args.tributary, "--db", args.station, "sync", "--timeout", "120"], capture_output=True, text=True)
        took = time.monotonic() - began
        if run.returncode == 0:
            latencies.append(took)
        else:
            failures.append({"after_s": round(took, 1), "error": run.stderr.strip().splitlines()[-1][:160] if run.stderr else ""})
        stop.wait(2)
    stats["honest_syncs"] = len(latencies)
    stats["honest_failures"] = failures
    if latencies:
        stats["honest_latency_s"] = {
            "min": round(min(latencies), 2), "median": round(statistics.median(latencies), 2),
            "max": round(max(latencies), 2)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--attack", choices=["uploads", "headers", "connections"], required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--token", default="")
    parser.add_argument("--tributary", required=True)
    parser.add_argument("--station", required=True)
    parser.add_argument("--sources", type=int, default=1)
    args = parser.parse_args()
    stats = {"attack": args.attack, "count": args.count, "sources": args.sources, "refused_at_connect": 0}
    stop = threading.Event()
    attacker = threading.Thread(target=attack, args=(args, stats, stop))
    attacker.start()
    time.sleep(1)  # pacing: let the attack take hold before the first honest sync
    station = threading.Thread(target=honest, args=(args, stats, stop))
    station.start()
    stop.wait(args.seconds)
    stop.set()
    attacker.join()
    station.join()
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
