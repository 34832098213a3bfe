#!/usr/bin/env python3
"""Capture etcd 3.4's peer-protocol (rafthttp) bytes by playing member m2 against a real etcd m1.

Usage: Scripts/peerwire-capture/capture.sh  (starts /usr/bin/etcd, runs this, stops etcd by PID)

What happens:
  * etcd m1 is started with --initial-cluster m1=http://127.0.0.1:35381,m2=http://127.0.0.1:35382.
    This script listens on 35382 as m2 and records every request m1 sends (stream dials,
    pipeline POSTs carrying MsgVote, /version and /raft/probing polls), answering as etcd would.
  * After a delay (so m1's first MsgVote travels by pipeline POST), the script dials m1's
    /raft/stream/message/<m2> and /raft/stream/msgapp/<m2> as m2 would and records m1's chunked
    stream responses. It grants m1's next vote by a pipeline POST of MsgVoteResp and acknowledges
    MsgApp / MsgHeartbeat, so m1 becomes leader and streams MsgApp (msgappv2) and heartbeats.
  * It also sends a few malformed requests (wrong cluster ID, unknown sender, wrong X-Raft-To,
    removed-looking paths) to record etcd's exact error answers, and GETs /members and /version.
Everything recorded is written as JSON {name: base64} to the output file.
"""
import base64, json, socket, sys, threading, time

M1_PEER = ("127.0.0.1", 35381)
M2_PORT = 35382
OUT = sys.argv[1] if len(sys.argv) > 1 else "captured.json"
CAP = 8192  # bytes kept per recorded stream response

lock = threading.Lock()
records = {}          # name -> bytes
state = {"cid": None, "m1": None, "m2": None, "granted": False, "leader_term": 0}


def record(name, data):
    with lock:
        if name not in records:
            records[name] = bytes(data)


# ---- minimal protobuf for raftpb.Message -------------------------------------------------
def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def read_varint(b, i):
    shift = 0
    v = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        if c < 0x80:
            return v, i
        shift += 7


def parse_fields(b):
    i = 0
    out = []
    while i < len(b):
        tag, i = read_varint(b, i)
        f, wt = tag >> 3, tag & 7
        if wt == 0:
            v, i = read_varint(b, i)
        elif wt == 2:
            n, i = read_varint(b, i)
            v = b[i:i + n]
            i += n
        elif wt == 1:
            v = b[i:i + 8]
            i += 8
        else:
            v = b[i:i + 4]
            i += 4
        out.append((f, v))
    return out


def decode_message(b):
    m = {"type": 0, "to": 0, "from": 0, "term": 0, "logTerm": 0, "index": 0, "entries": [],
         "commit": 0, "context": b""}
    names = {1: "type", 2: "to", 3: "from", 4: "term", 5: "logTerm", 6: "index", 8: "commit"}
    for f, v in parse_fields(b):
        if f in names:
            m[names[f]] = v
        elif f == 7:
            e = dict(parse_fields(v))
            m["entries"].append({"term": e.get(2, 0), "index": e.get(3, 0)})
        elif f == 12:
            m["context"] = v
    return m


def encode_message(typ, to, frm, term, index=0, context=b""):
    b = varint(1 << 3) + varint(typ) + varint(2 << 3) + varint(to) + varint(3 << 3) + varint(frm)
    b += varint(4 << 3) + varint(term) + varint(6 << 3) + varint(index)
    if context:
        b += varint((12 << 3) | 2) + varint(len(context)) + context
    return b


# ---- HTTP helpers ---------------------------------------------------------------------------
def read_head(sock, buf):
    while b"\r\n\r\n" not in buf:
        d = sock.recv(65536)
        if not d:
            return None, buf
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    return head + b"\r\n\r\n", rest


def header(head, name):
    for line in head.split(b"\r\n")[1:]:
        if b":" in line:
            k, v = line.split(b":", 1)
            if k.strip().lower() == name.lower().encode():
                return v.strip().decode()
    return None


def http_exchange(request, name, read_timeout=2.0):
    """One request on a fresh connection; records request and the whole response."""
    s = socket.create_connection(M1_PEER)
    s.settimeout(read_timeout)
    s.sendall(request)
    resp = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            resp += d
            if resp.endswith(b"\r\n\r\n") and b" 204 " in resp.split(b"\r\n")[0]:
                break
            head = resp.split(b"\r\n\r\n", 1)
            if len(head) == 2 and header(head[0] + b"\r\n\r\n", "Content-Length") is not None:
                if len(head[1]) >= int(header(head[0] + b"\r\n\r\n", "Content-Length")):
                    break
    except socket.timeout:
        pass
    s.close()
    record(name + ".request", request)
    record(name + ".response", resp)
    return resp


def peer_headers(extra=b"", cid=None, frm=None):
    cid = cid or state["cid"]
    frm = frm or state["m2"]
    return (b"X-Server-From: " + frm.encode() + b"\r\n"
            b"X-Server-Version: 3.4.23\r\nX-Min-Cluster-Version: 3.0.0\r\n"
            b"X-Etcd-Cluster-ID: " + cid.encode() + b"\r\n"
            b"X-PeerURLs: http://127.0.0.1:35382\r\n" + extra)


def post_raft(msg, name, cid=None):
    req = (b"POST /raft HTTP/1.1\r\nHost: 127.0.0.1:35381\r\nUser-Agent: Go-http-client/1.1\r\n"
           b"Content-Length: " + str(len(msg)).encode() + b"\r\n"
           b"Content-Type: application/protobuf\r\n" + peer_headers(cid=cid) + b"\r\n" + msg)
    return http_exchange(req, name)


# ---- m2's listener: what m1 sends ---------------------------------------------------------
counts = {}


def serve_conn(conn):
    buf = b""
    while True:
        head, buf = read_head(conn, buf)
        if head is None:
            return
        line = head.split(b"\r\n")[0].decode()
        method, path = line.split(" ")[0], line.split(" ")[1]
        cid = header(head, "X-Etcd-Cluster-ID")
        if path.startswith("/raft/stream/"):
            with lock:
                state["cid"] = state["cid"] or cid
                state["m1"] = state["m1"] or path.rsplit("/", 1)[1]
                state["m2"] = state["m2"] or header(head, "X-Raft-To")
            kind = path.split("/")[3]
            record("m1-dials-stream-" + kind + ".request", head)
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Etcd-Cluster-ID: " + state["cid"].encode() +
                         b"\r\nX-Server-Version: 3.4.23\r\nTransfer-Encoding: chunked\r\n\r\n")
            # hold the stream open and send link heartbeats (message stream: 8-byte length 2 +
            # encoded MsgHeartbeat {type 8}) so m1 keeps it
            try:
                while True:
                    time.sleep(1.0)
                    if kind == "message":
                        body = (2).to_bytes(8, "big") + b"\x08\x08"
                    else:
                        body = b"\x00"
                    conn.sendall(("%x\r\n" % len(body)).encode() + body + b"\r\n")
            except OSError:
                return
        length = int(header(head, "Content-Length") or "0")
        while len(buf) < length:
            d = conn.recv(65536)
            if not d:
                return
            buf += d
        body, buf = buf[:length], buf[length:]
        key = method + " " + path
        counts[key] = counts.get(key, 0) + 1
        if path == "/raft" and method == "POST":
            m = decode_message(body)
            record("m1-pipeline-type%d.request" % m["type"], head + body)
            conn.sendall(b"HTTP/1.1 204 No Content\r\nX-Etcd-Cluster-ID: " + cid.encode() +
                         b"\r\n\r\n")
        elif path == "/version":
            record("m1-gets-version.request", head)
            j = b'{"etcdserver":"3.4.23","etcdcluster":"3.0.0"}'
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                         str(len(j)).encode() + b"\r\n\r\n" + j)
        else:
            record("m1-other-%s-%s.request" % (method, path.replace("/", "_")), head + body)
            j = b'{"health":"true"}'
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                         str(len(j)).encode() + b"\r\n\r\n" + j)


def listener():
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", M2_PORT))
    ls.listen(16)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve_conn, args=(c,), daemon=True).start()


# ---- m2 dials m1's streams: what m1 streams -----------------------------------------------
def dechunk(data):
    """Body bytes of a chunked stream so far (stops at an incomplete chunk)."""
    out = b""
    i = 0
    while True:
        j = data.find(b"\r\n", i)
        if j < 0:
            return out
        n = int(data[i:j].split(b";")[0], 16)
        if j + 2 + n + 2 > len(data):
            return out
        out += data[j + 2:j + 2 + n]
        i = j + 2 + n + 2
        if n == 0:
            return out


def react(m):
    if m["type"] == 5 and not state["granted"]:  # MsgVote
        state["granted"] = True
        post_raft(encode_message(6, int(state["m1"], 16), int(state["m2"], 16), m["term"]),
                  "m2-posts-MsgVoteResp")
    elif m["type"] == 3:  # MsgApp
        last = m["entries"][-1]["index"] if m["entries"] else m["index"]
        post_raft(encode_message(4, int(state["m1"], 16), int(state["m2"], 16), m["term"], last),
                  "m2-posts-MsgAppResp")
    elif m["type"] == 8 and m["from"] != 0:  # MsgHeartbeat (not a link heartbeat)
        post_raft(encode_message(9, int(state["m1"], 16), int(state["m2"], 16), m["term"],
                                 context=m["context"]), "m2-posts-MsgHeartbeatResp")


def stream_client(kind, deadline):
    s = socket.create_connection(M1_PEER)
    req = (b"GET /raft/stream/" + kind.encode() + b"/" + state["m2"].encode() + b" HTTP/1.1\r\n"
           b"Host: 127.0.0.1:35381\r\nUser-Agent: Go-http-client/1.1\r\n" +
           peer_headers(b"X-Raft-To: " + state["m1"].encode() + b"\r\n") +
           b"Accept-Encoding: gzip\r\n\r\n")
    record("m2-dials-stream-" + kind + ".request", req)
    s.sendall(req)
    s.settimeout(0.2)
    data = b""
    consumed = 0
    term = index = 0
    while time.time() < deadline:
        try:
            d = s.recv(65536)
            if not d:
                break
            data += d
        except socket.timeout:
            continue
        if b"\r\n\r\n" not in data:
            continue
        body = dechunk(data.split(b"\r\n\r\n", 1)[1])
        while True:  # decode complete frames from body[consumed:]
            b = body[consumed:]
            if kind == "message":
                if len(b) < 8 or len(b) < 8 + int.from_bytes(b[:8], "big"):
                    break
                n = int.from_bytes(b[:8], "big")
                m = decode_message(b[8:8 + n])
                consumed += 8 + n
            else:
                if not b:
                    break
                if b[0] == 0:
                    consumed += 1
                    continue
                if b[0] == 2:
                    if len(b) < 9 or len(b) < 9 + int.from_bytes(b[1:9], "big"):
                        break
                    n = int.from_bytes(b[1:9], "big")
                    m = decode_message(b[9:9 + n])
                    consumed += 9 + n
                    term, index = m["term"], m["index"]
                    if m["entries"]:
                        index = m["entries"][-1]["index"]
                else:  # AppEntries: count, (len, entry)*, commit
                    if len(b) < 9:
                        break
                    cnt = int.from_bytes(b[1:9], "big")
                    i = 9
                    ok = True
                    for _ in range(cnt):
                        if len(b) < i + 8 or len(b) < i + 8 + int.from_bytes(b[i:i + 8], "big"):
                            ok = False
                            break
                        i += 8 + int.from_bytes(b[i:i + 8], "big")
                    if not ok or len(b) < i + 8:
                        break
                    consumed += i + 8
                    index += cnt
                    m = {"type": 3, "term": term, "index": index - cnt, "entries": [{"index": index}],
                         "from": 1}
            react(m)
    record("m1-streams-" + kind + ".response", data[:CAP])
    s.close()


def main():
    threading.Thread(target=listener, daemon=True).start()
    start = time.time()
    while state["m2"] is None and time.time() - start < 20:
        time.sleep(0.1)
    if state["m2"] is None:
        sys.exit("m1 never dialed m2")
    # let m1 campaign at least once through the pipeline before streams exist
    while "m1-pipeline-type5.request" not in records and time.time() - start < 20:
        time.sleep(0.1)
    deadline = time.time() + 8
    ts = [threading.Thread(target=stream_client, args=(k, deadline)) for k in ("message", "msgapp")]
    for t in ts:
        t.start()
    time.sleep(0.5)
    # etcd's error answers
    post_raft(encode_message(8, 1, 2, 1), "m2-posts-wrong-cluster-id", cid="deadbeef")
    base = (b"Host: 127.0.0.1:35381\r\nUser-Agent: Go-http-client/1.1\r\n")
    http_exchange(b"GET /raft/stream/message/abc HTTP/1.1\r\n" + base +
                  peer_headers(b"X-Raft-To: " + state["m1"].encode() + b"\r\n", frm="abc") +
                  b"\r\n", "m2-dials-unknown-sender")
    http_exchange(b"GET /raft/stream/message/" + state["m2"].encode() + b" HTTP/1.1\r\n" + base +
                  peer_headers(b"X-Raft-To: 1234\r\n") + b"\r\n", "m2-dials-wrong-raft-to")
    http_exchange(b"GET /raft HTTP/1.1\r\n" + base + b"\r\n", "m2-gets-raft")
    http_exchange(b"GET /members HTTP/1.1\r\n" + base + b"\r\n", "m2-gets-members")
    http_exchange(b"GET /version HTTP/1.1\r\n" + base + b"\r\n", "m2-gets-version")
    http_exchange(b"GET /raft/probing HTTP/1.1\r\n" + base + b"\r\n", "m2-gets-probing")
    for t in ts:
        t.join()
    with open(OUT, "w") as f:
        json.dump({k: base64.b64encode(v).decode() for k, v in sorted(records.items())}, f,
                  indent=1, sort_keys=True)
        f.write("\n")
    print("ids: m1=%s m2=%s cluster=%s" % (state["m1"], state["m2"], state["cid"]))
    for k in sorted(records):
        print("%-50s %6d bytes" % (k, len(records[k])))


main()
