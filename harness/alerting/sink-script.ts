/**
 * Notification sink run with python3 in the monitoring container. It accepts Alertmanager webhook
 * deliveries on POST /receivers/<receiver>/<integration>, records each with its arrival time,
 * and returns them all on GET /deliveries. The port is the first argument.
 */
export const sinkScript = String.raw`
import json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

deliveries = []
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        arrived = time.time() * 1000
        parts = self.path.strip("/").split("/")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = {"unparsable": body.decode("utf-8", "replace")}
        alerts = payload.get("alerts") or []
        record = {
            "arrivedAtMs": arrived,
            "path": self.path,
            "receiver": unquote(parts[1]) if len(parts) > 1 else "",
            "integration": parts[2] if len(parts) > 2 else "",
            "payloadReceiver": payload.get("receiver"),
            "status": payload.get("status"),
            "alerts": [{"name": (alert.get("labels") or {}).get("alertname"), "status": alert.get("status"), "labels": alert.get("labels") or {}} for alert in alerts],
        }
        with lock:
            deliveries.append(record)
        self.send_response(200)
        self.end_headers()

    def do_GET(self):
        if self.path != "/deliveries":
            self.send_response(404)
            self.end_headers()
            return
        with lock:
            body = json.dumps(deliveries).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("sink: %s\n" % (format % args))

ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
`;
