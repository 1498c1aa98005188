"""S7, the swap pause, for run-endpoint-benchmarks: the real launcher (what ./switchboard runs) with the
benchmark's handler bundle in its deploy folder, the load generator's paced traffic against it, and
the bundle replaced in the deploy folder during the second of two equal windows.

The launcher runs pinned to CPU 0 in a fresh temporary folder (its deploy/ and etc/), the generator
to CPU 1. The handler bundle prints the monotonic time (System.nanoTime, CLOCK_MONOTONIC on Linux,
shared by every process) of its start and stop, so the stages of the swap line up with the
generator's windows: FileInstall noticing the new jar, the old version's removal (whiteboard: its
connections detached), the framework's update and refresh, the new version's registration (its
connections adopted).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER_JAR = os.path.join(ROOT, "launcher", "target", "switchboard-launcher.jar")
HANDLER_JAR = os.path.join(ROOT, "benchmarks", "swap-handler", "target", "swap-handler.jar")
HANDLER_NAME = "io.switchboard.benchmarks.swap"
SWAP_VERSION = "0.1.0.swapped"
# The benchmark's endpoint: one selector loop as the other servers (the launcher is pinned to one CPU
# anyway), and connection limits raised as theirs are; everything else as the launcher's defaults.
ENDPOINT_CFG = """name = default
host = 127.0.0.1
port = 0
loops = 1
maxConnections = 1000000
maxConnectionsPerAddress = 1000000
"""
READY_TIMEOUT = 60
STOP_TIMEOUT = 20
GENERATOR_MARGIN = 330

HANDLER_LINE = re.compile(r"^swap-handler (\S+) (start|stop) (.*)$")
LISTENING = re.compile(r"^Switchboard is listening on port (\d+)")


def missing_jars():
    return [jar for jar in (LAUNCHER_JAR, HANDLER_JAR) if not os.path.exists(jar)]


def with_version(source, target, version):
    """A copy of the bundle jar whose manifest names another Bundle-Version: the bundle's next version."""
    with zipfile.ZipFile(source) as jar_in, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as jar_out:
        for item in jar_in.infolist():
            data = jar_in.read(item.filename)
            if item.filename == "META-INF/MANIFEST.MF":
                text, count = re.subn(r"(?m)^Bundle-Version: .*$", "Bundle-Version: " + version,
                                      data.decode("utf-8"))
                if count != 1:
                    raise RuntimeError(f"no Bundle-Version in {source}")
                data = text.encode("utf-8")
            jar_out.writestr(item, data)


class Launcher:
    """The launcher in a fresh folder; its console lines are kept with the monotonic time they arrived."""

    def __init__(self, folder, jvm_options, pinned):
        self.lines = []
        self.port = None
        self.ready = threading.Event()
        self.started = threading.Event()
        self.deploy = os.path.join(folder, "deploy")
        etc = os.path.join(folder, "etc")
        os.makedirs(self.deploy)
        os.makedirs(etc)
        with open(os.path.join(etc, "io.switchboard.endpoint-default.cfg"), "w") as cfg:
            cfg.write(ENDPOINT_CFG)
        self.jar = os.path.join(self.deploy, "swap-handler.jar")
        shutil.copyfile(HANDLER_JAR, self.jar)
        command = ["java"] + jvm_options + ["-jar", LAUNCHER_JAR, "--port", "0", "--host", "127.0.0.1",
                                            "--deploy", self.deploy, "--etc", etc]
        self.process = subprocess.Popen(pinned(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, text=True, cwd=folder)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            listening = LISTENING.match(line)
            if listening:
                self.port = int(listening.group(1))
                self.ready.set()
            if line.startswith(f"Bundle {HANDLER_NAME} ") and line.endswith(" started (swap-handler.jar)"):
                self.started.set()

    def wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.ready.is_set() and self.started.is_set():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the launcher exited with status {self.process.returncode}: {self.tail()}")
            time.sleep(0.05)
        raise RuntimeError(f"the launcher did not serve the handler within {READY_TIMEOUT} s: {self.tail()}")

    def stop(self):
        """SIGTERM, as Ctrl-C: the framework stops, so the new version prints its adoptions; kill if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)
        self.reader.join(STOP_TIMEOUT)  # the last lines, the new version's adoptions among them

    def tail(self, count=5):
        return " | ".join(self.lines[-count:])

    def handler_events(self):
        """{(version, start|stop): {key: nanos}} from the handler bundle's lines."""
        events = {}
        for line in self.lines:
            match = HANDLER_LINE.match(line)
            if match:
                fields = dict(pair.split("=", 1) for pair in match.group(3).split())
                events[(match.group(1), match.group(2))] = {key: int(value) for key, value in fields.items()}
        return events


def breakdown(events, result, old_version):
    """The stages of the swap in ms, from the handler's lines and the generator's window; checks that it fell inside."""
    old_stop = events.get((old_version, "stop"))
    new_start = events.get((SWAP_VERSION, "start"))
    new_stop = events.get((SWAP_VERSION, "stop"))
    if old_stop is None or new_start is None:
        raise RuntimeError("the handler bundle did not print its stop and the new version's start: no swap happened")
    stages = {
        "noticedMs": (old_stop["stopping"] - result["swapTriggerNanos"]) / 1e6,
        "removalMs": (old_stop["unregistered"] - old_stop["stopping"]) / 1e6,
        "updateMs": (new_start["starting"] - old_stop["unregistered"]) / 1e6,
        "registrationMs": (new_start["registered"] - new_start["starting"]) / 1e6,
        "stopToRegisteredMs": (new_start["registered"] - old_stop["stopping"]) / 1e6,
    }
    if new_stop is not None and new_stop["adopted"] > 0:
        stages["adopted"] = new_stop["adopted"]
        stages["firstAdoptMs"] = (new_stop["firstAdopt"] - new_start["starting"]) / 1e6
        stages["lastAdoptMs"] = (new_stop["lastAdopt"] - new_start["starting"]) / 1e6
        stages["stopToLastAdoptMs"] = (new_stop["lastAdopt"] - old_stop["stopping"]) / 1e6
    start, end = result["swapWindowStartNanos"], result["swapWindowEndNanos"]
    stages["inWindow"] = start <= old_stop["stopping"] < new_start["registered"] < end
    if not stages["inWindow"]:
        stages["error"] = (f"the swap did not fall inside the swap window: its stop began {(old_stop['stopping'] - start) / 1e6:.0f} ms "
                           f"and the new version was registered {(new_start['registered'] - start) / 1e6:.0f} ms into the "
                           f"{(end - start) / 1e6:.0f} ms window (a longer --duration gives it room)")
    return stages


def run_one(connections, args, pinned_server, pinned_generator, server_jvm_options, generator_jvm_options, load_jar):
    """One launcher, one generator run with one swap; returns a record for the JSON output."""
    record = {"server": "switchboard", "scenario": "S7", "ok": False}
    folder = tempfile.mkdtemp(prefix="bench-swap-")
    launcher = None
    try:
        swap_jar = os.path.join(folder, "swap-handler-next.jar")
        with_version(HANDLER_JAR, swap_jar, SWAP_VERSION)
        launcher = Launcher(folder, server_jvm_options, pinned_server)
        launcher.wait_ready()
        old_version = next(version for version, kind in launcher.handler_events() if kind == "start")
        command = ["java"] + generator_jvm_options + ["-jar", load_jar, "--scenario", "S7",
                                                      "--port", str(launcher.port), "--connections", str(connections),
                                                      "--warmup", str(args.warmup), "--duration", str(args.duration),
                                                      "--pace-ms", str(args.pace_ms),
                                                      "--swap-jar", swap_jar, "--deploy-jar", launcher.jar]
        timeout = args.warmup + 2 * args.duration + GENERATOR_MARGIN
        try:
            done = subprocess.run(pinned_generator(command), capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            record["error"] = f"the generator did not finish within {timeout:.0f} s"
            return record
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if "run failed" in line or not line.startswith("load: ")]
            record["error"] = " ".join(errors).strip()[:500] or f"exit status {done.returncode}"
            return record
        result = json.loads(done.stdout.strip().splitlines()[-1])
        launcher.stop()
        record["result"] = result
        record["swap"] = breakdown(launcher.handler_events(), result, old_version)
        record["ok"] = record["swap"]["inWindow"]
        if not record["ok"]:
            record["error"] = record["swap"]["error"]
    except (OSError, RuntimeError, ValueError, IndexError) as e:
        record["error"] = str(e)
    finally:
        if launcher is not None:
            launcher.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return record


def describe(record):
    result, swap = record["result"], record["swap"]
    return (f"pause p99 {result['baselinePauseP99us'] / 1e3:.2f} ms without a swap, {result['swapPauseP99us'] / 1e3:.2f} ms "
            f"with; silence {result['swapSilenceUs'] / 1e3:.1f} ms; stop → registered {swap['stopToRegisteredMs']:.1f} ms")


def _values(records, source, field):
    return [r[source][field] for r in records if r["ok"] and r[source].get(field) is not None]


def _ms(values, scale=1.0):
    if not values:
        return "n/a"
    values = [v * scale for v in values]
    text = f"{statistics.median(values):.2f}"
    return text + (f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else "")


def table(records, title, connections):
    runs = [r for r in records if r["scenario"] == "S7"]
    ok = [r for r in runs if r["ok"]]
    lines = [f"### S7: {title}", ""]
    if not ok:
        return lines + [f"**failed** ({len(runs)} of {len(runs)} runs)", ""]
    count = ok[0]["result"]["connections"]
    lines.append(f"{count:,} connections (the scenario names {connections:,}), each sending a "
                 f"{ok[0]['result']['size']} B text message every {ok[0]['result']['paceMs']} ms; "
                 f"{len(ok)} of {len(runs)} runs succeeded. ms, lower is better; median (min–max) of the runs.")
    lines.append("Pause: per connection, the longest answer delay of a message it sent in the window; "
                 "silence: the longest stretch of the window with no answer on any connection.")
    lines.append("")
    lines.append("| window | pause p50 | pause p99 | pause max | longest silence | message delay p99 |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for window in ("baseline", "swap"):
        label = "no swap (baseline)" if window == "baseline" else "handler bundle updated"
        lines.append(f"| {label} | {_ms(_values(ok, 'result', window + 'PauseP50us'), 1e-3)} "
                     f"| {_ms(_values(ok, 'result', window + 'PauseP99us'), 1e-3)} "
                     f"| {_ms(_values(ok, 'result', window + 'PauseMaxUs'), 1e-3)} "
                     f"| {_ms(_values(ok, 'result', window + 'SilenceUs'), 1e-3)} "
                     f"| {_ms(_values(ok, 'result', window + 'DelayP99us'), 1e-3)} |")
    lines.append("")
    lines.append("Where the swap's time goes (server side, from the handler bundle's own timestamps), ms:")
    lines.append("")
    lines.append("| stage | median (min–max) |")
    lines.append("|---|---:|")
    for label, field in (("jar moved → old version's stop begins (FileInstall's poll; not a pause)", "noticedMs"),
                         ("old version's removal: `unregister()` until it returns (connections detached)", "removalMs"),
                         ("framework: the rest of the stop, the update, the refresh, until the new start", "updateMs"),
                         ("new version's `registerService` until it returns", "registrationMs"),
                         ("new start → first `adopt`", "firstAdoptMs"),
                         ("new start → last `adopt`", "lastAdoptMs"),
                         ("old stop begins → new registered", "stopToRegisteredMs"),
                         ("old stop begins → last `adopt`", "stopToLastAdoptMs")):
        lines.append(f"| {label} | {_ms(_values(ok, 'swap', field))} |")
    messages = sum(r["result"]["windowMessages"] for r in ok)
    skipped = sum(r["result"]["sendsSkipped"] for r in ok)
    adopted = _values(ok, "swap", "adopted")
    generator = _values(ok, "result", "generatorCpuUtil")
    lines.append("")
    lines.append(f"Checks, every run: {messages:,} messages sent in the windows, each answered once, in order and "
                 f"unaltered (each echo compared in full); messages lost: 0; connections closed: 0; sends skipped "
                 f"(a connection at its limit of unanswered messages): {skipped}; connections adopted by the new "
                 f"version: {', '.join(f'{a:,}' for a in adopted) or 'n/a'}; generator CPU over the two windows "
                 f"(1.00 = its core busy): {_ms(generator)}.")
    return lines


def acceptance_row(records):
    """(criterion, target, measured, passed) for the S7 target, on the median of the runs."""
    values = _values([r for r in records if r["scenario"] == "S7"], "result", "swapPauseP99us")
    if not values:
        return ("S7 swap pause", "p99 ≤ 5 ms with 10,000 connections", "n/a", None)
    count = next(r["result"]["connections"] for r in records if r["scenario"] == "S7" and r["ok"])
    p99 = statistics.median(values) / 1e3
    measured = f"{p99:.2f} ms" + ("" if count == 10000 else f" (at {count:,} connections)")
    return ("S7 swap pause", "p99 ≤ 5 ms with 10,000 connections", measured, p99 <= 5 if count == 10000 else None)
