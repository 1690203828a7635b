"""Reading PDFs as people and scanners do: pdftotext for the words, pdftoppm + zxing-cpp for QR codes."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout  # fmt: skip


def qr_codes(data: bytes, dpi: int = 150) -> list[str]:
    """Every QR code of every page, in page order."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(path), str(Path(tmp) / "page")], check=True
        )
        for page in sorted(Path(tmp).glob("page*.png")):
            with Image.open(page) as image:
                found += [
                    r.text
                    for r in zxingcpp.read_barcodes(image)
                    if r.format == zxingcpp.BarcodeFormat.QRCode
                ]
    return found
