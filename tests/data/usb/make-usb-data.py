#!/usr/bin/env python3
"""Writes the umockdev device descriptions (*.umockdev) and usbdevfs replay scripts (*.ioctl) the
USB driver tests load. The devices are fictitious (vendor 0x1209 is pid.codes; product ids 0x0001
to 0x0009 are its test ids). Run it again after changing a frame here; the output is committed."""

from functools import reduce

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
STX, ETX, CR, LF = b"\x02", b"\x03", b"\r", b"\n"
READ = 64  # usb.read_size of the reader profiles
ARM = bytes([0x1B, 0x41, 0x0D])  # the bulk reader's arm command (hw-profiles/bulk-mrz-reader-stx.toml)


def device(sys_name, devnum, vid, pid, device_class, config, product, configured=True):
    d = bytes([0x12, 0x01, 0x00, 0x02, device_class, 0, 0, 0x40, vid & 0xFF, vid >> 8, pid & 0xFF, pid >> 8, 0, 1, 1, 2, 3, 1])
    total = len(config)
    config = config[:2] + bytes([total & 0xFF, total >> 8]) + config[4:]
    hexd = (d + config).hex().upper()
    return f"""P: /devices/pci0000:00/0000:00:14.0/usb1/{sys_name}
N: bus/usb/001/{devnum:03d}={hexd}
E: DEVNAME=/dev/bus/usb/001/{devnum:03d}
E: DEVTYPE=usb_device
E: DRIVER=usb
E: PRODUCT={vid:x}/{pid:x}/100
E: BUSNUM=001
E: DEVNUM={devnum:03d}
E: SUBSYSTEM=usb
A: bConfigurationValue={1 if configured else ""}
A: bDeviceClass={device_class:02x}
A: bNumConfigurations=1
A: busnum=1
H: descriptors={hexd}
A: devnum={devnum}
A: idProduct={pid:04x}
A: idVendor={vid:04x}
A: manufacturer=Fictitious Devices
A: product={product}
A: speed=12
"""


def h(s):
    return bytes.fromhex(s.replace(" ", ""))


CDC = h("09 02 00 00 02 01 00 80 32"
        "09 04 00 00 01 02 02 01 00  05 24 00 10 01  05 24 01 00 01  04 24 02 02  05 24 06 00 01  07 05 83 03 08 00 10"
        "09 04 01 00 02 0A 00 00 00  07 05 81 02 40 00 00  07 05 02 02 40 00 00")
BULK = h("09 02 00 00 01 01 00 80 32  09 04 00 00 02 FF 00 00 00  07 05 81 02 40 00 00  07 05 01 02 40 00 00")
CAMERA = h("09 02 00 00 02 01 00 80 FA  09 04 00 00 00 0E 01 00 00"
           "09 04 01 00 01 03 00 00 00  09 21 11 01 00 01 22 1C 00  07 05 83 03 08 00 0A")

files = {
    "mrz-reader-cdc.umockdev": device("1-2", 5, 0x1209, 0x0001, 0x02, CDC, "CDC MRZ Reader"),
    "mrz-reader-bulk.umockdev": device("1-3", 6, 0x1209, 0x0002, 0x00, BULK, "Bulk MRZ Reader"),
    "lamp-camera.umockdev": device("1-4", 7, 0x1209, 0x0003, 0xEF, CAMERA, "Document Camera"),
    # The same camera unplugged and plugged back into the same port: the bus gives it a new number.
    "lamp-camera-replugged.umockdev": device("1-4", 10, 0x1209, 0x0003, 0xEF, CAMERA, "Document Camera"),
    "unknown-device.umockdev": device("1-5", 8, 0x1209, 0x0009, 0x00, BULK, "Something Else"),
    # The CDC reader as the kernel announces it, before it has set a configuration: sysfs leaves
    # bConfigurationValue empty until then (the test sets it afterwards, as the kernel would).
    "mrz-reader-cdc-unconfigured.umockdev": device("1-6", 9, 0x1209, 0x0001, 0x02, CDC, "CDC MRZ Reader", configured=False),
}


def reads(data, endpoint=0x81):
    """The IN URBs that deliver `data`, READ bytes at most each."""
    return [f"USBDEVFS_REAPURBNDELAY 0 3 {endpoint} 0 0 {READ} {len(data[i:i + READ])} 0 {data[i:i + READ].hex().upper()}"
            for i in range(0, len(data), READ)]


def write(data, endpoint=0x01):
    return f"USBDEVFS_REAPURBNDELAY 0 3 {endpoint} 0 0 {len(data)} {len(data)} 0 {data.hex().upper()}"


STALL = f"USBDEVFS_REAPURBNDELAY 0 3 129 -32 0 {READ} 0 0"   # -EPIPE
GONE = f"USBDEVFS_REAPURBNDELAY 0 3 129 -19 0 {READ} 0 0"    # -ENODEV: unplugged mid-read


def cdc_frame(lines):
    return CR.join(l.encode() for l in lines) + CR + LF


def stx_frame(lines, bcc=None, payload=None):
    body = payload if payload is not None else CR.join(l.encode() for l in lines)
    check = reduce(lambda a, b: a ^ b, body + ETX, 0)
    return STX + body + ETX + bytes([check if bcc is None else bcc])


def control(setup, data=b"", status=0):
    setup = setup[:6] + bytes([len(data) & 0xFF, len(data) >> 8])  # wLength is the data stage's length
    return f"USBDEVFS_REAPURBNDELAY 0 2 0 {status} 0 {8 + len(data)} {0 if status else len(data)} 0 {(setup + data).hex().upper()}"


def hid_set_report(report_id, interface, report):
    data = bytes([report_id]) + report if report_id else report
    return h("21 09") + bytes([report_id, 0x02, interface, 0, len(data), 0]), data


scripts = {
    # A TD3 MRZ split over two reads (the reader sends 64-byte packets), then the reader is unplugged.
    "cdc-td3.ioctl": reads(cdc_frame(TD3)) + [GONE],
    "cdc-stall.ioctl": [STALL] + reads(cdc_frame(TD3)) + [GONE],
    # A barcode swiped through the reader by mistake: MRZ characters, but no MRZ; then a TD3.
    "cdc-not-mrz-then-td3.ioctl": reads(cdc_frame(["CARGO<MANIFEST<0042", "PALLET<17"])) + reads(cdc_frame(TD3)) + [GONE],
    # Half a frame, then the cable is pulled.
    "cdc-unplugged-mid-frame.ioctl": reads(cdc_frame(TD3)[:40]) + [GONE],
    "bulk-td1.ioctl": [write(ARM)] + reads(stx_frame(TD1)) + [GONE],
    "bulk-malformed.ioctl": [write(ARM)] + reads(
        stx_frame(TD1, bcc=0x55)                          # transmission error: check byte wrong
        + b"#@!junk" + stx_frame(TD3)                     # noise between frames, then a good TD3
        + stx_frame([], payload=b"A" * 300)               # longer than max_frame (256)
        + stx_frame(["P<UTOeriksson<<ANNA"])              # lower case: no MRZ has it
        + stx_frame(TD1)) + [GONE],                       # and the reader is still in step
    # Lamp commands, one control transfer each, in the order the test selects them.
    "camera-hid.ioctl": [control(*hid_set_report(2, 1, bytes([0x02, 0xFF]))),
                         control(*hid_set_report(2, 1, bytes([0x04, 0xFF]))),
                         control(*hid_set_report(2, 1, bytes([0x01, 0xFF])))],
    "camera-vendor.ioctl": [control(h("40 31 02 00 00 00 00 00")),
                            control(h("40 31 04 00 00 00 00 00"), bytes([0x80])),
                            control(h("40 31 01 00 00 00 00 00"))],
    "camera-gone.ioctl": [control(*hid_set_report(2, 1, bytes([0x02, 0xFF])), status=-19)],
    # Infrared switched, then the camera is unplugged: the ultraviolet command finds it gone. Plugged
    # back, it takes the ultraviolet and white commands on a new handle.
    "camera-unplugged-after-ir.ioctl": [control(*hid_set_report(2, 1, bytes([0x02, 0xFF]))),
                                        control(*hid_set_report(2, 1, bytes([0x04, 0xFF])), status=-19)],
    "camera-replugged.ioctl": [control(*hid_set_report(2, 1, bytes([0x04, 0xFF]))),
                               control(*hid_set_report(2, 1, bytes([0x01, 0xFF])))],
    # A station's document camera at one document: white to watch the desk, then white, infrared and
    # ultraviolet for the capture, and back to white.
    "camera-station.ioctl": [control(*hid_set_report(2, 1, bytes([m, 0xFF]))) for m in (0x01, 0x01, 0x02, 0x04, 0x01)],
    # The same, but the ultraviolet lamp's command stalls (EPIPE): the capture goes on without that
    # light, and the next command (white) goes to a handle opened afresh.
    "camera-station-uv-stalls.ioctl": [control(*hid_set_report(2, 1, bytes([m, 0xFF])), status=-32 if m == 0x04 else 0)
                                       for m in (0x01, 0x01, 0x02, 0x04, 0x01)],
}

for name, text in files.items():
    with open(name, "w") as f:
        f.write(text)
for name, lines in scripts.items():
    with open(name, "w") as f:
        f.write("\n".join(lines) + "\n")
