#!/usr/bin/env python3
"""A small service manager with a systemctl-compatible command, for drill client hosts.

Recovery automation calls `systemctl`; containers have no systemd. This program reads a subset
of systemd unit files and supervises them:

  [Unit]     Description=
  [Service]  ExecStart= ExecStop= Type=simple|oneshot Restart=no|on-failure|always
             RestartSec= TimeoutStopSec= Environment= StartLimitBurst= StartLimitIntervalSec=
  [Timer]    OnActiveSec= OnBootSec= OnUnitActiveSec= Unit=

`servicemanager.py daemon` runs the manager; `servicemanager.py systemctl VERB UNIT...` (installed
as /usr/local/bin/systemctl) sends it one request over a Unix socket. Verbs: start, stop, restart,
is-active, is-failed, reset-failed, cat, status. Every start, stop, exit and restart is appended
to an events file as one JSON object per line, so drills can check what happened and in which order.
"""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

UNIT_DIRECTORY = os.environ.get("MOUNTDRILL_UNIT_DIR", "/etc/mountdrill/units")
SOCKET_PATH = os.environ.get("MOUNTDRILL_SVC_SOCKET", "/run/mountdrill-svc.sock")
EVENTS_PATH = os.environ.get("MOUNTDRILL_SVC_EVENTS", "/var/log/mountdrill/service-events.jsonl")
LOG_DIRECTORY = os.environ.get("MOUNTDRILL_SVC_LOGS", "/var/log/mountdrill/units")


def parse_seconds(text):
    """Parse a systemd time span such as 5, 5s, 500ms, 1min or 2m 30s into seconds."""
    units = {"ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600}
    total = 0.0
    number = ""
    word = ""
    for character in text.strip() + " ":
        if character.isdigit() or character == ".":
            if word:
                total += float(number) * units[word]
                number, word = "", ""
            number += character
        elif character.isalpha():
            word += character
        elif number:
            total += float(number) * units[word or "s"]
            number, word = "", ""
    return total


def parse_unit_file(path):
    """Return {section: {key: [values]}} for an INI-style systemd unit file."""
    sections = {}
    current = None
    with open(path) as handle:
        for raw in handle:
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], {})
                continue
            if current is None or "=" not in line:
                continue
            key, value = line.split("=", 1)
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


def last(section, key, default=None):
    values = section.get(key)
    return values[-1] if values else default


class Events:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        os.makedirs(os.path.dirname(path), exist_ok=True)

    def record(self, unit, event, **fields):
        entry = {"time": time.time(), "unit": unit, "event": event}
        entry.update(fields)
        with self.lock, open(self.path, "a") as handle:
            handle.write(json.dumps(entry) + "\n")


class Service:
    def __init__(self, name, path, sections, manager):
        self.name = name
        self.path = path
        self.manager = manager
        service = sections.get("Service", {})
        self.description = last(sections.get("Unit", {}), "Description", name)
        # "%%" is systemd's escape for a literal percent sign; other specifiers are not supported.
        self.exec_start = shlex.split(last(service, "ExecStart", "").replace("%%", "%"))
        stop = last(service, "ExecStop")
        self.exec_stop = shlex.split(stop.replace("%%", "%")) if stop else None
        self.type = last(service, "Type", "simple")
        self.restart = last(service, "Restart", "no")
        self.restart_seconds = parse_seconds(last(service, "RestartSec", "100ms"))
        self.stop_timeout = parse_seconds(last(service, "TimeoutStopSec", "5s"))
        unit = sections.get("Unit", {})
        self.start_limit_burst = int(last(unit, "StartLimitBurst", last(service, "StartLimitBurst", "5")))
        self.start_limit_interval = parse_seconds(last(unit, "StartLimitIntervalSec", last(service, "StartLimitIntervalSec", "10s")))
        self.environment = dict(os.environ)
        for assignment in service.get("Environment", []):
            for pair in shlex.split(assignment):
                key, _, value = pair.partition("=")
                self.environment[key] = value
        self.state = "inactive"
        self.process = None
        self.since = time.time()
        self.last_result = None
        self.starts = []
        self.stopping = False
        self.restart_timer = None
        self.lock = threading.RLock()

    def set_state(self, state):
        self.state = state
        self.since = time.time()

    def start(self, by="systemctl"):
        with self.lock:
            # A start scheduled by the restart policy runs while the unit shows "activating".
            if self.state == "active" or (self.state == "activating" and by != "restart-policy"):
                return 0, ""
            if self.restart_timer:
                self.restart_timer.cancel()
                self.restart_timer = None
            now = time.time()
            self.starts = [moment for moment in self.starts if now - moment < self.start_limit_interval]
            if len(self.starts) >= self.start_limit_burst and by == "restart-policy":
                self.set_state("failed")
                self.last_result = "start-limit-hit"
                self.manager.events.record(self.name, "failed", result="start-limit-hit")
                return 1, "start request repeated too quickly for %s" % self.name
            self.starts.append(now)
            self.stopping = False
            os.makedirs(LOG_DIRECTORY, exist_ok=True)
            log = open(os.path.join(LOG_DIRECTORY, self.name + ".log"), "a")
            try:
                self.process = subprocess.Popen(
                    self.exec_start, stdout=log, stderr=subprocess.STDOUT, env=self.environment, start_new_session=True
                )
            except OSError as error:
                self.set_state("failed")
                self.last_result = "exec-failed: %s" % error
                self.manager.events.record(self.name, "failed", result=self.last_result, by=by)
                return 1, "failed to start %s: %s" % (self.name, error)
            finally:
                log.close()
            self.manager.events.record(self.name, "start", pid=self.process.pid, by=by)
            if self.type == "oneshot":
                self.set_state("activating")
                process = self.process
                self.lock.release()
                try:
                    code = process.wait()
                finally:
                    self.lock.acquire()
                self.on_exit(process, code)
                return (0, "") if code == 0 else (1, "%s exited with status %s" % (self.name, code))
            self.set_state("active")
            threading.Thread(target=self.watch, args=(self.process,), daemon=True).start()
            return 0, ""

    def watch(self, process):
        code = process.wait()
        with self.lock:
            if process is self.process:
                self.on_exit(process, code)

    def on_exit(self, process, code):
        if code == 0:
            result = "success"
        elif code < 0:
            result = "signal %s" % signal.Signals(-code).name
        else:
            result = "exit-code %s" % code
        self.manager.events.record(self.name, "exited", pid=process.pid, result=result)
        self.process = None
        self.last_result = result
        if self.stopping:
            self.set_state("inactive")
            return
        failed = code != 0
        if self.restart == "always" or (self.restart == "on-failure" and failed):
            self.set_state("activating")
            self.manager.events.record(self.name, "restart-scheduled", after=self.restart_seconds)
            self.restart_timer = threading.Timer(self.restart_seconds, self.start, kwargs={"by": "restart-policy"})
            self.restart_timer.daemon = True
            self.restart_timer.start()
            return
        self.set_state("failed" if failed else "inactive")
        if failed:
            self.manager.events.record(self.name, "failed", result=result)

    def stop(self, by="systemctl"):
        with self.lock:
            if self.restart_timer:
                self.restart_timer.cancel()
                self.restart_timer = None
            process = self.process
            if process is None:
                if self.state == "activating":
                    self.set_state("inactive")
                return 0, ""
            self.stopping = True
            self.set_state("deactivating")
            self.manager.events.record(self.name, "stop", pid=process.pid, by=by)
        if self.exec_stop:
            subprocess.run(self.exec_stop, env=self.environment, timeout=self.stop_timeout, check=False)
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        with self.lock:
            if process is self.process or self.process is None:
                if self.process is process:
                    self.on_exit(process, process.returncode)
                self.set_state("inactive")
        self.manager.events.record(self.name, "stopped", by=by)
        return 0, ""

    def status_text(self):
        pid = " (pid %d)" % self.process.pid if self.process else ""
        since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self.since))
        lines = [
            "%s - %s" % (self.name, self.description),
            "     Loaded: loaded (%s)" % self.path,
            "     Active: %s since %s%s" % (self.state, since, pid),
        ]
        if self.last_result:
            lines.append("     Result: %s" % self.last_result)
        return "\n".join(lines)


class Timer:
    def __init__(self, name, path, sections, manager):
        self.name = name
        self.path = path
        self.manager = manager
        timer = sections.get("Timer", {})
        self.description = last(sections.get("Unit", {}), "Description", name)
        self.unit = last(timer, "Unit", name[: -len(".timer")] + ".service")
        self.first = parse_seconds(last(timer, "OnActiveSec", last(timer, "OnBootSec", "0")))
        self.period = parse_seconds(last(timer, "OnUnitActiveSec", "60s"))
        self.state = "inactive"
        self.since = time.time()
        self.generation = 0
        self.lock = threading.RLock()
        self.last_result = None

    def start(self, by="systemctl"):
        with self.lock:
            if self.state == "active":
                return 0, ""
            self.state = "active"
            self.since = time.time()
            self.generation += 1
            generation = self.generation
        self.manager.events.record(self.name, "start", by=by)
        threading.Thread(target=self.loop, args=(generation,), daemon=True).start()
        return 0, ""

    def loop(self, generation):
        delay = self.first
        while True:
            time.sleep(delay)
            with self.lock:
                if self.generation != generation or self.state != "active":
                    return
            service = self.manager.units.get(self.unit)
            if service is None:
                self.manager.events.record(self.name, "failed", result="unit %s not found" % self.unit)
                return
            if service.state not in ("active", "activating"):
                threading.Thread(target=service.start, kwargs={"by": self.name}, daemon=True).start()
            delay = self.period

    def stop(self, by="systemctl"):
        with self.lock:
            self.state = "inactive"
            self.since = time.time()
            self.generation += 1
        self.manager.events.record(self.name, "stop", by=by)
        return 0, ""

    def status_text(self):
        since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(self.since))
        return "%s - %s\n     Loaded: loaded (%s)\n     Active: %s since %s\n    Trigger: %s every %gs" % (
            self.name, self.description, self.path, self.state, since, self.unit, self.period)


class Manager:
    def __init__(self):
        self.events = Events(EVENTS_PATH)
        self.units = {}
        self.load()

    def load(self):
        if not os.path.isdir(UNIT_DIRECTORY):
            return
        for name in sorted(os.listdir(UNIT_DIRECTORY)):
            path = os.path.join(UNIT_DIRECTORY, name)
            if name in self.units:
                continue
            if name.endswith(".service"):
                self.units[name] = Service(name, path, parse_unit_file(path), self)
            elif name.endswith(".timer"):
                self.units[name] = Timer(name, path, parse_unit_file(path), self)

    def handle(self, verb, names):
        self.load()
        names = [name if "." in name else name + ".service" for name in names]
        unknown = [name for name in names if name not in self.units]
        if verb in ("start", "stop", "restart", "cat", "status", "reset-failed") and unknown:
            return 5, "", "Unit %s not found.\n" % unknown[0]
        outputs = []
        code = 0
        for name in names:
            unit = self.units.get(name)
            if verb == "start":
                result, message = unit.start()
            elif verb == "stop":
                result, message = unit.stop()
            elif verb == "restart":
                self.events.record(name, "restart")
                unit.stop(by="restart")
                result, message = unit.start(by="restart")
            elif verb == "is-active":
                state = unit.state if unit else "inactive"
                outputs.append(state)
                result, message = (0 if state == "active" else 3), ""
            elif verb == "is-failed":
                state = unit.state if unit else "inactive"
                outputs.append(state)
                result, message = (0 if state == "failed" else 1), ""
            elif verb == "reset-failed":
                if unit.state == "failed":
                    unit.state = "inactive"
                if hasattr(unit, "starts"):
                    unit.starts = []
                result, message = 0, ""
            elif verb == "cat":
                with open(unit.path) as handle:
                    outputs.append("# %s\n%s" % (unit.path, handle.read().rstrip("\n")))
                result, message = 0, ""
            elif verb == "status":
                outputs.append(unit.status_text())
                result, message = (0 if unit.state == "active" else 3), ""
            else:
                return 1, "", "Unknown command verb %s.\n" % verb
            if message:
                outputs.append(message)
            code = code or result
        return code, "\n".join(outputs) + ("\n" if outputs else ""), ""


def serve():
    manager = Manager()
    if os.path.exists(SOCKET_PATH):
        os.unlink(SOCKET_PATH)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(SOCKET_PATH)
    server.listen(16)

    def respond(connection):
        with connection:
            data = b""
            while not data.endswith(b"\n"):
                chunk = connection.recv(65536)
                if not chunk:
                    break
                data += chunk
            try:
                request = json.loads(data)
                code, stdout, stderr = manager.handle(request["verb"], request.get("units", []))
            except Exception as error:  # a bad request must not stop the manager
                code, stdout, stderr = 1, "", "servicemanager: %s\n" % error
            connection.sendall(json.dumps({"code": code, "stdout": stdout, "stderr": stderr}).encode() + b"\n")

    while True:
        connection, _ = server.accept()
        threading.Thread(target=respond, args=(connection,), daemon=True).start()


def systemctl(arguments):
    """Send one request to the manager and mirror systemctl's output and exit status."""
    options = [argument for argument in arguments if argument.startswith("-")]
    words = [argument for argument in arguments if not argument.startswith("-")]
    if not words:
        print("usage: systemctl start|stop|restart|is-active|is-failed|reset-failed|cat|status UNIT...", file=sys.stderr)
        return 1
    quiet = "-q" in options or "--quiet" in options
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect(SOCKET_PATH)
    except OSError as error:
        print("System has not been booted with the mountdrill service manager (%s: %s)" % (SOCKET_PATH, error), file=sys.stderr)
        return 1
    with client:
        client.sendall(json.dumps({"verb": words[0], "units": words[1:]}).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = client.recv(65536)
            if not chunk:
                break
            data += chunk
    response = json.loads(data)
    if not quiet:
        sys.stdout.write(response["stdout"])
    sys.stderr.write(response["stderr"])
    return response["code"]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "daemon":
        serve()
    elif len(sys.argv) > 1 and sys.argv[1] == "systemctl":
        sys.exit(systemctl(sys.argv[2:]))
    else:
        print("usage: servicemanager.py daemon | systemctl VERB UNIT...", file=sys.stderr)
        sys.exit(2)
