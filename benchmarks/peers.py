"""The QR readers an engineer would pick instead of ours, behind one interface, timed in-process.

Each peer reads an 8-bit gray numpy array (loaded once with Pillow, as every binding accepts it)
and returns the decoded texts. Every peer is restricted to one thread and to QR codes.
"""
import importlib.metadata, os, time, warnings

# The PyPI packages the peers come from (ZBar also needs Debian's libzbar0), plus what the
# benchmark itself uses.
PACKAGES = ["zxing-cpp", "pyzbar", "opencv-python-headless", "pyquirc", "numpy", "pillow", "matplotlib"]
MODULES = ["zxingcpp", "pyzbar.pyzbar", "cv2", "quirc", "numpy", "PIL", "matplotlib"]


def load(path):
    """The file's pixels as an 8-bit gray array (what every peer is handed)."""
    import numpy
    from PIL import Image
    with Image.open(path) as image:
        return numpy.asarray(image.convert("L"))


class ZXingCpp:
    name, package = "zxing-cpp", "zxing-cpp"

    def __init__(self):
        import zxingcpp
        self.module = zxingcpp
        self.formats = zxingcpp.BarcodeFormat.QRCode
        # Plain: the payload as text, as the expected files hold it (the default HRI adds GS1
        # brackets and shows control characters as <SOH>).
        self.text_mode = zxingcpp.TextMode.Plain

    def decode(self, pixels):
        found = self.module.read_barcodes(pixels, formats=self.formats, text_mode=self.text_mode)
        return [b.text for b in found if b.valid]


class ZBar:
    name, package = "ZBar", "pyzbar"

    def __init__(self):
        from pyzbar import pyzbar
        self.module = pyzbar
        self.symbols = [pyzbar.ZBarSymbol.QRCODE]

    def decode(self, pixels):
        return [s.data.decode("utf-8", errors="replace") for s in self.module.decode(pixels, symbols=self.symbols)]


class Quirc:
    name, package = "quirc", "pyquirc"

    def __init__(self):
        import quirc
        self.module = quirc

    def decode(self, pixels):
        with warnings.catch_warnings():
            # quirc warns for every grid it finds but cannot decode.
            warnings.simplefilter("ignore")
            found = self.module.decode(pixels)
        return [data.payload.decode("utf-8", errors="replace") for _, data in found]


class OpenCV:
    name, package = "OpenCV", "opencv-python-headless"

    def __init__(self):
        import cv2
        cv2.setNumThreads(1)
        self.error = cv2.error
        self.detector = cv2.QRCodeDetector()

    def decode(self, pixels):
        # The bytes variant: the text one raises on payloads that are not UTF-8.
        try:
            ok, decoded, _, _ = self.detector.detectAndDecodeBytesMulti(pixels)
        except self.error:
            # Raised for symbols it cannot decode (e.g. "mode 13 ... not implemented"): nothing read.
            return []
        return [bytes(b).decode("utf-8", errors="replace") for b in decoded if len(b)] if ok else []


PEERS = [ZXingCpp, ZBar, OpenCV, Quirc]


def by_name(name):
    return next(p for p in PEERS if p.name == name)


def versions():
    found = {p.name: importlib.metadata.version(p.package) for p in PEERS}
    # pyzbar is only the binding: the reader is Debian's libzbar0.
    import subprocess
    zbar = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libzbar0"], capture_output=True, text=True).stdout
    found["ZBar"] = f"libzbar0 {zbar or '?'} (pyzbar {found['ZBar']})"
    return found


def time_peer(peer, paths, repeats=1):
    """Per file: decoded texts, decode-only seconds (on the preloaded array) and load + decode
    seconds (from the file), each the median of `repeats` runs."""
    out = []
    for path in paths:
        decode_runs, full_runs, found = [], [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            pixels = load(path)
            t1 = time.perf_counter()
            found = peer.decode(pixels)
            t2 = time.perf_counter()
            decode_runs.append(t2 - t1)
            full_runs.append(t2 - t0)
        out.append({"texts": found, "decode": sorted(decode_runs)[len(decode_runs) // 2],
                    "load_decode": sorted(full_runs)[len(full_runs) // 2]})
    return out


def single_thread_environment():
    """Environment variables that keep OpenMP/BLAS-backed libraries on one thread."""
    for var in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]:
        os.environ[var] = "1"


if __name__ == "__main__":
    # `python peers.py PEER [FILE...]`: one peer reads the files in this process and nothing else,
    # so the parent can take this process's peak memory (with no file: the import cost alone).
    import sys
    single_thread_environment()
    reader = by_name(sys.argv[1])()
    for file in sys.argv[2:]:
        reader.decode(load(file))
