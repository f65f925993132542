from __future__ import annotations

import os
import socket
import struct
import threading

import pytest

from courseware.sandbox.protocol import MAX_MESSAGE_BYTES, ProtocolError, recv_message, send_message


def test_a_message_carries_its_descriptors():
    left, right = socket.socketpair()
    read_end, write_end = os.pipe()
    with left, right:
        # Larger than the socket buffer, so the sender must run alongside the receiver.
        sender = threading.Thread(
            target=send_message, args=(left, {"files": {"template.yaml": "x" * 300_000}}, [write_end])
        )
        sender.start()
        message, fds = recv_message(right, max_fds=2)
        sender.join()
        os.close(write_end)
        assert len(message["files"]["template.yaml"]) == 300_000
        (received,) = fds
        os.write(received, b"ok")
        os.close(received)
        assert os.read(read_end, 2) == b"ok"
    os.close(read_end)


def test_an_oversized_message_is_refused_before_it_is_read():
    left, right = socket.socketpair()
    with left, right:
        left.sendall(struct.pack("!I", MAX_MESSAGE_BYTES + 1))
        with pytest.raises(ProtocolError):
            recv_message(right)


def test_a_closed_peer_is_an_end_of_file():
    left, right = socket.socketpair()
    with right:
        left.close()
        with pytest.raises(EOFError):
            recv_message(right)
