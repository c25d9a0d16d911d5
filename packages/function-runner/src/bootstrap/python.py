"""Python 3 bootstrap (runs inside the sandbox); same line protocol as node.mjs:
stdin <- init / invoke messages, fd 3 -> ready / initError / result, marker "\x1e<id>\n" on
stdout and stderr after each invocation. Module state survives between warm invocations."""
import importlib
import json
import os
import resource
import sys
import time
import traceback

out = os.fdopen(3, "w", buffering=1)


def send(msg):
    out.write(json.dumps(msg) + "\n")
    out.flush()


def error_of(e):
    return {
        "type": type(e).__name__,
        "message": str(e),
        "stack": traceback.format_exception(type(e), e, e.__traceback__)[-20:],
    }


class Context:
    def __init__(self, ctx, request_id):
        self.__dict__.update(ctx or {})
        self.aws_request_id = request_id
        self.invocation_id = request_id
        self._deadline = time.time() + (ctx or {}).get("timeoutMs", 3000) / 1000

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.time()) * 1000))


handler = None
sys.path.insert(0, "/var/task")
send({"type": "booted"})

for line in sys.stdin:
    msg = json.loads(line)
    if msg["type"] == "init":
        started = time.perf_counter()
        try:
            os.environ.update(msg.get("env") or {})
            importlib.invalidate_caches()  # the code arrived after start (pre-booted sandbox)
            mod_name, _, fn_name = msg["handler"].rpartition(".")
            handler = getattr(importlib.import_module(mod_name), fn_name)
            send({"type": "ready", "initMs": round((time.perf_counter() - started) * 1000, 2)})
        except BaseException as e:  # noqa: BLE001 - report any import failure
            send({"type": "initError", "error": error_of(e)})
            sys.exit(1)
    elif msg["type"] == "invoke":
        rid = msg["id"]
        try:
            result = handler(msg.get("payload"), Context(msg.get("context"), rid))
            reply = {"type": "result", "id": rid, "ok": True, "result": result}
            json.dumps(reply)
        except MemoryError as e:
            reply = {"type": "result", "id": rid, "ok": False, "error": error_of(e), "oom": True}
        except Exception as e:  # noqa: BLE001 - handler errors are the function's result
            reply = {"type": "result", "id": rid, "ok": False, "error": error_of(e)}
        sys.stdout.write("\x1e%s\n" % rid)
        sys.stdout.flush()
        sys.stderr.write("\x1e%s\n" % rid)
        sys.stderr.flush()
        reply["maxRssKb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        send(reply)
