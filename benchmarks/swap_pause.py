"""S7, the swap pause, for run-endpoint-benchmarks: the real launcher (what ./switchboard runs) with the
benchmark's handler bundle in its deploy folder, the load generator's paced traffic against it, and
the bundle's new version put into the deploy folder during the second of two equal windows, in one of
two variants:

- in-place: the new version's jar is moved over the deployed one, and FileInstall updates the bundle
  (Bundle.update): the route has no handler from the old version's stop to the new one's start;
- blue-green: the new version's jar is moved in as a new file beside the old one, with a higher
  service.ranking and switchboard.adopt=true in its manifest (SwapEcho turns them into its service's
  properties); FileInstall installs it as a second bundle, whose registration adopts every live
  connection; once the handler has printed that registration, this script deletes the old jar, and
  FileInstall uninstalls the old version, which by then serves nothing.

The launcher runs pinned to CPU 0 in a fresh temporary folder (its deploy/ and etc/), the generator
to CPU 1. The handler bundle prints the monotonic time (System.nanoTime, CLOCK_MONOTONIC on Linux,
shared by every process) of its start and stop, so the stages of the swap line up with the
generator's windows (breakdown): in place, FileInstall noticing the new jar, the old version's removal
(whiteboard: its connections detached), the framework's update and refresh, the new version's
registration (its connections adopted); blue/green, FileInstall's install, the new version's
registration (the live connections adopted), the old jar's deletion and the old version's uninstall.
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
# With --swap-rehearsal, a version dropped halfway through the warm-up, so that the measured swap is not the
# server's first: the first swap runs code steady traffic never ran, and the JIT recompiles the loop's message
# path around it (see SwapRun.rehearse). Blue/green: ranked between the deployed version and the measured one.
REHEARSAL_VERSION = "0.1.0.rehearsal"
# What a user's new version carries for blue/green: a ranking above the old one's (which has none, so
# 0) and the opt-in to adopt the route's live connections at once. SwapEcho reads these two manifest
# headers into its service's service.ranking and switchboard.adopt; the in-place copy has neither.
def blue_green_headers(ranking):
    return {"Swap-Handler-Ranking": str(ranking), "Swap-Handler-Adopt": "true"}
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


def with_version(source, target, version, headers=None):
    """A copy of the bundle jar whose manifest names another Bundle-Version (the bundle's next version),
    and has the given headers after it (short ones: a manifest line holds 72 bytes)."""
    extra = headers or {}
    with zipfile.ZipFile(source) as jar_in, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as jar_out:
        for item in jar_in.infolist():
            data = jar_in.read(item.filename)
            if item.filename == "META-INF/MANIFEST.MF":
                def rewrite(match):
                    newline = match.group(1)
                    return "".join(f"{name}: {value}{newline}"
                                   for name, value in [("Bundle-Version", version)] + list(extra.items()))
                text, count = re.subn(r"(?m)^Bundle-Version: [^\r\n]*(\r?\n)", rewrite, data.decode("utf-8"))
                if count != 1:
                    raise RuntimeError(f"no Bundle-Version in {source}")
                data = text.encode("utf-8")
            jar_out.writestr(item, data)


class Launcher:
    """The launcher in a fresh folder; its console lines are kept with the monotonic time they arrived."""

    def __init__(self, folder, jvm_options, pinned):
        self.lines = []
        self.retire = {}  # blue/green: {version: the jar deleted once that version's start line comes}
        self.retired_at = {}  # {version: the monotonic time of that deletion, in ns (System.nanoTime's clock)}
        self.retire_error = None
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
            handler = HANDLER_LINE.match(line)
            if handler and handler.group(1) in self.retire and handler.group(2) == "start":
                self._retire(handler.group(1))

    def retire_after(self, version, jar):
        """Blue/green: delete `jar` (the version before) as soon as `version` has printed its start, i.e.
        once its registerService (and with it the adoption of the live connections) has returned."""
        self.retire[version] = jar

    def _retire(self, version):
        jar = self.retire[version]
        try:
            os.remove(jar)
            self.retired_at[version] = time.monotonic_ns()  # CLOCK_MONOTONIC, as the JVMs' System.nanoTime
        except OSError as e:
            self.retire_error = f"cannot delete the old version's jar {jar}: {e}"

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
        """{(version, start|stop): {key: nanos}} from the handler bundle's lines; each at most once (a
        second one would be a restart that the figures do not account for)."""
        events = {}
        for line in self.lines:
            match = HANDLER_LINE.match(line)
            if match:
                key = (match.group(1), match.group(2))
                if key in events:
                    raise RuntimeError(f"the handler bundle's version {key[0]} printed its {key[1]} twice")
                fields = dict(pair.split("=", 1) for pair in match.group(3).split())
                events[key] = {name: int(value) for name, value in fields.items()}
        return events


def _span_ms(later, earlier):
    return (later - earlier) / 1e6


def breakdown(events, result, old_version, retired_at=None):
    """The stages of the swap in ms, from the handler's lines, the generator's window and (blue/green)
    the old jar's deletion; checks that the swap fell inside the window, in the variant's order, and
    that the new version adopted every connection. Adds "error" when a check fails."""
    old_stop = events.get((old_version, "stop"))
    new_start = events.get((SWAP_VERSION, "start"))
    new_stop = events.get((SWAP_VERSION, "stop"))
    if old_stop is None or new_start is None:
        raise RuntimeError("the handler bundle did not print its stop and the new version's start: no swap happened")
    trigger, start, end = result["swapTriggerNanos"], result["swapWindowStartNanos"], result["swapWindowEndNanos"]
    blue_green = result.get("swapVariant") == "blue-green"
    stages = {"removalMs": _span_ms(old_stop["unregistered"], old_stop["stopping"]),
              "registrationMs": _span_ms(new_start["registered"], new_start["starting"])}
    if blue_green:
        if retired_at is None:
            raise RuntimeError("the old version's jar was not deleted")
        stages.update({
            "noticedMs": _span_ms(new_start["starting"], trigger),
            "retiredMs": _span_ms(retired_at, new_start["registered"]),
            "retireNoticedMs": _span_ms(old_stop["stopping"], retired_at),
            "uninstallMs": _span_ms(old_stop["unregistered"], retired_at),
        })
        first, last = new_start["starting"], old_stop["unregistered"]
        ordered = new_start["registered"] <= retired_at < old_stop["stopping"]
    else:
        stages.update({
            "noticedMs": _span_ms(old_stop["stopping"], trigger),
            "updateMs": _span_ms(new_start["starting"], old_stop["unregistered"]),
            "stopToRegisteredMs": _span_ms(new_start["registered"], old_stop["stopping"]),
        })
        first, last = old_stop["stopping"], new_start["registered"]
        ordered = old_stop["unregistered"] <= new_start["starting"]
    adopted = new_stop["adopted"] if new_stop is not None else 0
    if adopted > 0:
        stages["adopted"] = adopted
        stages["firstAdoptMs"] = _span_ms(new_stop["firstAdopt"], new_start["starting"])
        stages["lastAdoptMs"] = _span_ms(new_stop["lastAdopt"], new_start["starting"])
        stages["firstToLastAdoptMs"] = _span_ms(new_stop["lastAdopt"], new_stop["firstAdopt"])
        if not blue_green:
            stages["stopToLastAdoptMs"] = _span_ms(new_stop["lastAdopt"], old_stop["stopping"])
    if result.get("swapSilenceStartNanos") is not None:  # where the window's longest silence fell among the steps
        stages["silenceFromMs"] = _span_ms(result["swapSilenceStartNanos"], trigger)
        stages["silenceToMs"] = stages["silenceFromMs"] + result["swapSilenceUs"] / 1e3
    stages["inWindow"] = start <= trigger and start <= first and last < end
    errors = []
    if not stages["inWindow"]:
        errors.append(f"the swap did not fall inside the swap window: it began {_span_ms(first, start):.0f} ms and ended "
                      f"{_span_ms(last, start):.0f} ms into the {_span_ms(end, start):.0f} ms window (a longer --duration gives "
                      f"it room)")
    if not ordered:
        errors.append("the swap's steps came out of order (" + ("new registered, old jar deleted, old stopped"
                      if blue_green else "old removed, then new started") + " expected)")
    if adopted != result["connections"]:
        errors.append(f"the new version adopted {adopted} of the {result['connections']} connections")
    elif blue_green and new_stop["lastAdopt"] >= old_stop["stopping"]:
        errors.append("the old version began to stop before the new one had adopted every connection")
    if errors:
        stages["error"] = "; ".join(errors)
    return stages


def run_one(scenario, variant, connections, args, pinned_server, pinned_generator, server_jvm_options,
            generator_jvm_options, load_jar):
    """One launcher, one generator run with one swap of the variant; returns a record for the JSON output."""
    record = {"server": "switchboard", "scenario": scenario, "variant": variant, "ok": False}
    folder = tempfile.mkdtemp(prefix="bench-swap-")
    launcher = None
    try:
        blue_green = variant == "blue-green"
        rehearse = getattr(args, "swap_rehearsal", False)
        swap_jar = os.path.join(folder, "swap-handler-next.jar")
        with_version(HANDLER_JAR, swap_jar, SWAP_VERSION, blue_green_headers(2 if rehearse else 1) if blue_green else None)
        launcher = Launcher(folder, server_jvm_options, pinned_server)
        launcher.wait_ready()
        old_version = next(version for version, kind in launcher.handler_events() if kind == "start")
        old_jar = launcher.jar
        extra = []
        if rehearse:
            rehearsal_jar = os.path.join(folder, "swap-handler-rehearsal.jar")
            with_version(HANDLER_JAR, rehearsal_jar, REHEARSAL_VERSION, blue_green_headers(1) if blue_green else None)
            extra = ["--rehearse-jar", rehearsal_jar]
            if blue_green:
                launcher.retire_after(REHEARSAL_VERSION, old_jar)
                old_jar = os.path.join(launcher.deploy, os.path.basename(rehearsal_jar))
            old_version = REHEARSAL_VERSION
        record["rehearsed"] = rehearse
        if blue_green:
            launcher.retire_after(SWAP_VERSION, old_jar)
        command = ["java"] + generator_jvm_options + ["-jar", load_jar, "--scenario", "S7",
                                                      "--port", str(launcher.port), "--connections", str(connections),
                                                      "--warmup", str(args.warmup), "--duration", str(args.duration),
                                                      "--pace-ms", str(args.pace_ms),
                                                      "--swap-jar", swap_jar, "--deploy-jar", launcher.jar,
                                                      "--swap-variant", variant,
                                                      "--settle-pid", str(launcher.process.pid)] + extra
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
        if launcher.retire_error:
            raise RuntimeError(launcher.retire_error)
        record["result"] = result
        record["swap"] = breakdown(launcher.handler_events(), result, old_version, launcher.retired_at.get(SWAP_VERSION))
        record["ok"] = "error" not in record["swap"]
        if not record["ok"]:
            record["error"] = record["swap"]["error"]
    except (OSError, RuntimeError, ValueError, IndexError) as e:
        record["error"] = str(e)
    finally:
        if launcher is not None:
            launcher.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return record


LABELS = {"in-place": "in-place update", "blue-green": "blue/green"}
SWAP_WINDOW = {"in-place": "handler bundle updated", "blue-green": "new version beside, then the old one deleted"}
STAGES = {
    "in-place": (
        ("jar moved → old version's stop begins (FileInstall's poll; not a pause)", "noticedMs"),
        ("old version's removal: `unregister()` until it returns (connections detached)", "removalMs"),
        ("framework: the rest of the stop, the update, the refresh, until the new start", "updateMs"),
        ("new version's `registerService` until it returns", "registrationMs"),
        ("new start → first `adopt`", "firstAdoptMs"),
        ("new start → last `adopt`", "lastAdoptMs"),
        ("old stop begins → new registered", "stopToRegisteredMs"),
        ("old stop begins → last `adopt`", "stopToLastAdoptMs"),
        ("jar moved → the window's longest silence begins", "silenceFromMs"),
        ("jar moved → that silence ends", "silenceToMs"),
    ),
    "blue-green": (
        ("jar moved in → new version's start begins (FileInstall's poll and install; not a pause)", "noticedMs"),
        ("new version's `registerService` until it returns (every live connection adopted inside it)",
         "registrationMs"),
        ("new start → first `adopt`", "firstAdoptMs"),
        ("new start → last `adopt`", "lastAdoptMs"),
        ("first → last `adopt`", "firstToLastAdoptMs"),
        ("new registered → old jar deleted (the runner, on the handler's line)", "retiredMs"),
        ("old jar deleted → old version's stop begins (FileInstall's poll)", "retireNoticedMs"),
        ("old version's removal: `unregister()` until it returns (no connection left on it)", "removalMs"),
        ("old jar deleted → old version unregistered (uninstall)", "uninstallMs"),
        ("jar moved in → the window's longest silence begins", "silenceFromMs"),
        ("jar moved in → that silence ends", "silenceToMs"),
    ),
}


def describe(record):
    result, swap = record["result"], record["swap"]
    text = (f"pause p99 {result['baselinePauseP99us'] / 1e3:.2f} ms without a swap, {result['swapPauseP99us'] / 1e3:.2f} ms "
            f"with; silence {result['swapSilenceUs'] / 1e3:.1f} ms; ")
    if record["variant"] == "blue-green":
        return text + (f"new start → last adopt {swap.get('lastAdoptMs', float('nan')):.1f} ms; old jar deleted → "
                       f"unregistered {swap['uninstallMs']:.1f} ms")
    return text + f"stop → registered {swap['stopToRegisteredMs']:.1f} ms"


def _values(records, source, field):
    return [r[source][field] for r in records if r["ok"] and r[source].get(field) is not None]


def _ms(values, scale=1.0):
    if not values:
        return "n/a"
    values = [v * scale for v in values]
    text = f"{statistics.median(values):.2f}"
    return text + (f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else "")


def table(records, parts, connections):
    """One section for the S7 parts that ran, [(scenario name, variant)], their figures side by side."""
    runs = {variant: [r for r in records if r["scenario"] == name] for name, variant in parts}
    ok = {variant: [r for r in variant_runs if r["ok"]] for variant, variant_runs in runs.items()}
    lines = ["### S7: swap pause", ""]
    first = next((r for variant_ok in ok.values() for r in variant_ok), None)
    if first is None:
        return lines + [f"**failed** (every run of {', '.join(LABELS[v] for v in runs)})", ""]
    result = first["result"]
    lines.append(f"{result['connections']:,} connections (the scenario names {connections:,}), each sending a "
                 f"{result['size']} B text message every {result['paceMs']} ms; runs that succeeded: "
                 + ", ".join(f"{LABELS[v]} {len(ok[v])} of {len(runs[v])}" for v in runs)
                 + ". ms, lower is better; median (min–max) of the runs."
                 + (" The measured swap is each server's second: a rehearsal swap ran halfway through the warm-up."
                    if first.get("rehearsed") else " The measured swap is each server's first."))
    lines.append("Pause: per connection, the longest answer delay of a message it sent in the window; "
                 "silence: the longest stretch of the window with no answer on any connection.")
    lines.append("")
    lines.append("| variant | window | pause p50 | pause p99 | pause max | longest silence | message delay p99 |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for variant, variant_ok in ok.items():
        for window in ("baseline", "swap"):
            label = "no swap (baseline)" if window == "baseline" else SWAP_WINDOW[variant]
            lines.append(f"| {LABELS[variant]} | {label} "
                         f"| {_ms(_values(variant_ok, 'result', window + 'PauseP50us'), 1e-3)} "
                         f"| {_ms(_values(variant_ok, 'result', window + 'PauseP99us'), 1e-3)} "
                         f"| {_ms(_values(variant_ok, 'result', window + 'PauseMaxUs'), 1e-3)} "
                         f"| {_ms(_values(variant_ok, 'result', window + 'SilenceUs'), 1e-3)} "
                         f"| {_ms(_values(variant_ok, 'result', window + 'DelayP99us'), 1e-3)} |")
    for variant, variant_ok in ok.items():
        if not variant_ok:
            continue
        lines += ["", f"Where the {LABELS[variant]}'s time goes (server side, from the handler bundle's own "
                      "timestamps), ms:", "", "| stage | median (min–max) |", "|---|---:|"]
        for label, field in STAGES[variant]:
            lines.append(f"| {label} | {_ms(_values(variant_ok, 'swap', field))} |")
        messages = sum(r["result"]["windowMessages"] for r in variant_ok)
        skipped = sum(r["result"]["sendsSkipped"] for r in variant_ok)
        adopted = _values(variant_ok, "swap", "adopted")
        generator = _values(variant_ok, "result", "generatorCpuUtil")
        lines.append("")
        lines.append(f"Checks, every {LABELS[variant]} run: {messages:,} messages sent in the windows, each answered "
                     f"once, in order and unaltered (each echo compared in full); messages lost: 0; connections "
                     f"closed: 0; sends skipped (a connection at its limit of unanswered messages): {skipped}; "
                     f"connections adopted by the new version: {', '.join(f'{a:,}' for a in adopted)} (all); "
                     f"generator CPU over the two windows (1.00 = its core busy): {_ms(generator)}.")
    return lines


def acceptance_rows(records, parts):
    """(criterion, target, measured, passed) for the S7 target, per variant, on the median of the runs."""
    rows = []
    for name, variant in parts:
        criterion = f"S7 swap pause ({LABELS[variant]})"
        runs = [r for r in records if r["scenario"] == name]
        values = _values(runs, "result", "swapPauseP99us")
        if not values:
            rows.append((criterion, "p99 ≤ 5 ms with 10,000 connections", "n/a", None))
            continue
        count = next(r["result"]["connections"] for r in runs if r["ok"])
        p99 = statistics.median(values) / 1e3
        measured = f"{p99:.2f} ms" + ("" if count == 10000 else f" (at {count:,} connections)")
        rows.append((criterion, "p99 ≤ 5 ms with 10,000 connections", measured, p99 <= 5 if count == 10000 else None))
    return rows
