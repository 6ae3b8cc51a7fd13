"""QR codes of check-in links, as PNG: attached to mails, and as a data URI on pages (the
strict CSP allows `data:` images and nothing inline). A PNG of a check-in link is under
1 kB, a thirtieth of the same code as SVG.

Made inside the registration's transaction, so made quickly: one fixed mask pattern
instead of trying all eight (scanners read any of them), and the picture drawn from the
module matrix in one step rather than module by module (4 ms → under 1 ms).
"""

import base64
import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

MODULE_PIXELS = 8
QUIET_ZONE = 4  # modules of white around the code, as scanners expect
MASK_PATTERN = 2


def qr_png(data: str) -> bytes:
    # M: a code on a cracked or dim phone screen still reads.
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=MASK_PATTERN
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # with the quiet zone; True is a dark module
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).convert("1")
    image = image.resize((size * MODULE_PIXELS, size * MODULE_PIXELS), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def qr_png_data_uri(data: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
