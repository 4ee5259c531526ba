"""Short test videos made on the spot: frames drawn with Pillow, each encoded as a lossy WebP (a VP8
key frame), muxed into a WebM file with its duration and cues, so a browser plays and seeks it."""

from __future__ import annotations

import io
import struct

from PIL import Image
from PIL import ImageDraw

#: Matroska element ids used below.
EBML, DOC_TYPE, SEGMENT, INFO, TIMECODE_SCALE, DURATION = (
    0x1A45DFA3,
    0x4282,
    0x18538067,
    0x1549A966,
    0x2AD7B1,
    0x4489,
)
TRACKS, TRACK_ENTRY, TRACK_NUMBER, TRACK_UID, TRACK_TYPE, CODEC_ID = (
    0x1654AE6B,
    0xAE,
    0xD7,
    0x73C5,
    0x83,
    0x86,
)
VIDEO, PIXEL_WIDTH, PIXEL_HEIGHT, CLUSTER, TIMECODE, SIMPLE_BLOCK = 0xE0, 0xB0, 0xBA, 0x1F43B675, 0xE7, 0xA3
CUES, CUE_POINT, CUE_TIME, CUE_TRACK_POSITIONS, CUE_TRACK, CUE_CLUSTER_POSITION = (
    0x1C53BB6B,
    0xBB,
    0xB3,
    0xB7,
    0xF7,
    0xF1,
)
MUXING_APP, WRITING_APP = 0x4D80, 0x5741


def _id(element: int) -> bytes:
    return element.to_bytes((element.bit_length() + 7) // 8, "big")


def _size(length: int) -> bytes:
    return (length | (1 << 56)).to_bytes(8, "big")  # always 8 bytes: simple and valid


def _element(element: int, payload: bytes) -> bytes:
    return _id(element) + _size(len(payload)) + payload


def _uint(element: int, value: int) -> bytes:
    return _element(element, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def _vp8_frame(image: Image.Image) -> bytes:
    """The VP8 key frame inside a lossy WebP of *image*."""
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=60, method=0)
    data = buffer.getvalue()
    assert data[12:16] == b"VP8 ", "Pillow wrote an extended WebP; expected a simple lossy one"
    (length,) = struct.unpack("<I", data[16:20])
    return data[20 : 20 + length]


def frame(number: int, fps: int, size: tuple[int, int]) -> Image.Image:
    """A frame showing its second and number, on a colour that changes every second."""
    second = number // fps
    image = Image.new("RGB", size, ((second * 53) % 256, (second * 97) % 256, 160))
    ImageDraw.Draw(image).text((8, 8), f"{second}s #{number}", fill=(255, 255, 255))
    return image


def make_webm(seconds: int = 6, fps: int = 5, size: tuple[int, int] = (160, 96)) -> bytes:
    """A silent WebM (VP8) of *seconds*, every frame a key frame, one cluster and cue per second."""
    frame_ms = 1000 // fps
    clusters: list[tuple[int, bytes]] = []
    for second in range(seconds):
        blocks = b"".join(
            _element(SIMPLE_BLOCK, b"\x81" + struct.pack(">hB", index * frame_ms, 0x80) + _vp8_frame(image))
            for index, image in enumerate(frame(second * fps + i, fps, size) for i in range(fps))
        )
        clusters.append((second * 1000, _element(CLUSTER, _uint(TIMECODE, second * 1000) + blocks)))
    info = _element(
        INFO,
        _uint(TIMECODE_SCALE, 1_000_000)
        + _element(DURATION, struct.pack(">d", float(seconds * 1000)))
        + _element(MUXING_APP, b"tianshan-tests")
        + _element(WRITING_APP, b"tianshan-tests"),
    )
    video = _element(VIDEO, _uint(PIXEL_WIDTH, size[0]) + _uint(PIXEL_HEIGHT, size[1]))
    tracks = _element(
        TRACKS,
        _element(
            TRACK_ENTRY,
            _uint(TRACK_NUMBER, 1)
            + _uint(TRACK_UID, 1)
            + _uint(TRACK_TYPE, 1)
            + _element(CODEC_ID, b"V_VP8")
            + video,
        ),
    )
    head = info + tracks
    offset = len(head)
    points = b""
    for at, cluster in clusters:
        positions = _element(CUE_TRACK_POSITIONS, _uint(CUE_TRACK, 1) + _uint(CUE_CLUSTER_POSITION, offset))
        points += _element(CUE_POINT, _uint(CUE_TIME, at) + positions)
        offset += len(cluster)
    body = head + b"".join(cluster for _, cluster in clusters) + _element(CUES, points)
    header = _element(
        EBML,
        _uint(0x4286, 1)
        + _uint(0x42F7, 1)
        + _uint(0x42F2, 4)
        + _uint(0x42F3, 8)
        + _element(DOC_TYPE, b"webm")
        + _uint(0x4287, 2)
        + _uint(0x4285, 2),
    )
    return header + _element(SEGMENT, body)
