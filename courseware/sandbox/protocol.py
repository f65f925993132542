"""Framing between the runner and its zygote: a 4-byte length, then JSON.

File descriptors (the child's result pipe, the zygote's status pipe) travel with the
length header as SCM_RIGHTS ancillary data, so they arrive before the body.
"""

from __future__ import annotations

import json
import os
import socket
import struct
from typing import Any

_HEADER = struct.Struct("!I")
MAX_MESSAGE_BYTES = 16 * 2**20


class ProtocolError(Exception):
    pass


def send_message(sock: socket.socket, obj: Any, fds: list[int] | None = None) -> None:
    body = json.dumps(obj, separators=(",", ":")).encode()
    header = _HEADER.pack(len(body))
    # MSG_NOSIGNAL: a dead peer must be an error here, never a SIGPIPE in the web process.
    if fds:
        socket.send_fds(sock, [header], fds, socket.MSG_NOSIGNAL)
    else:
        sock.sendall(header, socket.MSG_NOSIGNAL)
    sock.sendall(body, socket.MSG_NOSIGNAL)


def recv_message(sock: socket.socket, *, max_fds: int = 0) -> tuple[Any, list[int]]:
    fds: list[int] = []
    if max_fds:
        head, fds, _flags, _addr = socket.recv_fds(sock, _HEADER.size, max_fds)
    else:
        head = sock.recv(_HEADER.size)
    if not head:
        raise EOFError("the other side closed the channel")
    head += _recv_exactly(sock, _HEADER.size - len(head))
    (length,) = _HEADER.unpack(head)
    if length > MAX_MESSAGE_BYTES:
        for fd in fds:
            _close_quietly(fd)
        raise ProtocolError(f"message of {length} bytes is over the limit")
    return json.loads(_recv_exactly(sock, length)), fds


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = sock.recv(min(size, 2**20))
        if not chunk:
            raise EOFError("the other side closed the channel mid-message")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass
