"""QR codes of check-in links, as PNG: attached to mails, and as a data URI on pages (the
strict CSP allows `data:` images and nothing inline). A PNG of a check-in link is under
1 kB, a thirtieth of the same code as SVG."""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(data: str) -> bytes:
    # M: a code on a cracked or dim phone screen still reads; a quiet zone of 4 modules is
    # what scanners expect.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


def qr_png_data_uri(data: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
