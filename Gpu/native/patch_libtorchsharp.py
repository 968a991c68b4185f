#!/usr/bin/env python3
"""Make TorchSharp's libLibTorchSharp.so loadable with a pre-GCC-13 libstdc++.

libLibTorchSharp.so (TorchSharp 0.107.0) is built with GCC 13. Its only use of
the GLIBCXX_3.4.32 symbol version is an undefined reference to
std::ios_base_library_init() (_ZSt21ios_base_library_initv), a marker symbol
that GCC 13's <iostream> emits with `.globl` and that nothing ever calls or
relocates against. An older libstdc++ (GCC 12, Debian 12) does not define
GLIBCXX_3.4.32, so the dynamic loader refuses the whole library.

This script edits three fields in place (no size or layout change):
  * .dynsym:        the symbol's binding -> STB_WEAK (unresolved weak = 0)
  * .gnu.version:   the symbol's version index -> 1 (VER_NDX_GLOBAL)
  * .gnu.version_r: the GLIBCXX_3.4.32 entry's vna_flags |= VER_FLG_WEAK

It refuses to patch when any other symbol uses GLIBCXX_3.4.32, or when a
relocation references the marker symbol. It patches only when the system
libstdc++ lacks GLIBCXX_3.4.32 (override with --force), is idempotent, and
writes the result to a temporary file that is renamed over the original.

Usage: patch_libtorchsharp.py [--force] [--check] PATH [PATH...]
  --force  patch even if the system libstdc++ provides GLIBCXX_3.4.32
  --check  only report; exit 0 if loadable as-is/already patched,
           3 if the file still needs patching on this system
Exit status: 0 normal (patched / already patched / not needed),
             2 malformed or unpatchable file / bad usage, 3 (--check) needs patch.
Stdlib only; runs with any Python 3.6+.
"""

import os
import struct
import subprocess
import sys
import tempfile

PROG = "patch_libtorchsharp"
VERSION = b"GLIBCXX_3.4.32"
SYMBOL = b"_ZSt21ios_base_library_initv"
LIBSTDCXX = b"libstdc++.so.6"

SHT_REL = 9
SHT_RELA = 4
SHT_DYNSYM = 11
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
STB_WEAK = 2
SHN_UNDEF = 0
VER_NDX_GLOBAL = 1
VER_FLG_WEAK = 0x2

EM_NAMES = {62: "x86-64", 183: "AArch64"}  # e_machine -> ldconfig -p arch tag


class ElfError(Exception):
    pass


def _cstr(data, off):
    if off < 0 or off >= len(data):
        raise ElfError("string offset 0x%x out of range" % off)
    end = data.find(b"\0", off)
    if end < 0:
        raise ElfError("unterminated string at 0x%x" % off)
    return bytes(data[off:end])


class Elf(object):
    """Minimal ELF64 little-endian reader for the fields we need."""

    def __init__(self, data):
        self.data = data
        if len(data) < 64 or data[:4] != b"\x7fELF":
            raise ElfError("not an ELF file")
        if data[4] != 2 or data[5] != 1:
            raise ElfError("only 64-bit little-endian ELF is supported")
        (self.e_type, self.e_machine, _v, _entry, _phoff, shoff, _flags,
         _ehsize, _phentsize, _phnum, shentsize, shnum, _shstrndx) = struct.unpack_from(
            "<HHIQQQIHHHHHH", data, 16)
        if shoff == 0 or shnum == 0:
            raise ElfError("no section headers (stripped with sstrip?)")
        if shentsize != 64:
            raise ElfError("unexpected section header size %d" % shentsize)
        if shoff + shnum * 64 > len(data):
            raise ElfError("section header table past end of file (truncated?)")
        self.sections = []
        for i in range(shnum):
            (name, stype, flags, addr, off, size, link, info, align,
             entsize) = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * 64)
            if stype != 8 and off + size > len(data):  # 8 = SHT_NOBITS
                raise ElfError("section %d extends past end of file (truncated?)" % i)
            self.sections.append(dict(idx=i, type=stype, offset=off, size=size,
                                      link=link, info=info, entsize=entsize))

    def find(self, stype):
        found = [s for s in self.sections if s["type"] == stype]
        return found[0] if found else None


class Plan(object):
    """What the file looks like and which byte edits it still needs."""

    def __init__(self):
        self.has_need = False      # file has a GLIBCXX_3.4.32 vernaux at all
        self.edits = []            # (offset, old_bytes, new_bytes)
        self.version_index = None


def analyse(data):
    elf = Elf(data)
    plan = Plan()

    dynsym = elf.find(SHT_DYNSYM)
    versym = elf.find(SHT_GNU_VERSYM)
    verneed = elf.find(SHT_GNU_VERNEED)
    if dynsym is None:
        raise ElfError("no .dynsym section")
    if verneed is None or versym is None:
        return elf, plan  # no symbol versioning at all: nothing to do
    if dynsym["entsize"] not in (0, 24):
        raise ElfError("unexpected .dynsym entry size %d" % dynsym["entsize"])
    if not (0 <= dynsym["link"] < len(elf.sections)):
        raise ElfError(".dynsym has bad string table link")
    dynstr = elf.sections[dynsym["link"]]
    vstr = elf.sections[verneed["link"]] if 0 <= verneed["link"] < len(elf.sections) else None
    if vstr is None:
        raise ElfError(".gnu.version_r has bad string table link")

    def dstr(off, strsec):
        if off >= strsec["size"]:
            raise ElfError("string offset 0x%x outside its table" % off)
        return _cstr(data, strsec["offset"] + off)

    # --- .gnu.version_r: find libstdc++.so.6 / GLIBCXX_3.4.32 ---------------
    aux_off = None
    pos = verneed["offset"]
    end = verneed["offset"] + verneed["size"]
    count = verneed["info"] or 1000000
    seen = 0
    while seen < count:
        if pos + 16 > end:
            raise ElfError("Verneed entry past end of .gnu.version_r")
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, pos)
        if vn_version != 1:
            raise ElfError("unsupported Verneed version %d" % vn_version)
        fname = dstr(vn_file, vstr)
        apos = pos + vn_aux
        for _ in range(vn_cnt):
            if apos + 16 > end or apos < verneed["offset"]:
                raise ElfError("Vernaux entry outside .gnu.version_r")
            vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, apos)
            if fname == LIBSTDCXX and dstr(vna_name, vstr) == VERSION:
                aux_off = apos
                plan.version_index = vna_other & 0x7FFF
                if not vna_flags & VER_FLG_WEAK:
                    plan.edits.append((apos + 4, struct.pack("<H", vna_flags),
                                       struct.pack("<H", vna_flags | VER_FLG_WEAK)))
            if vna_next == 0:
                break
            apos += vna_next
        seen += 1
        if vn_next == 0:
            break
        pos += vn_next
    if aux_off is None:
        return elf, plan
    plan.has_need = True
    if plan.version_index <= VER_NDX_GLOBAL:
        raise ElfError("GLIBCXX_3.4.32 entry has invalid version index %d" % plan.version_index)

    # --- .dynsym / .gnu.version: who uses that version? ----------------------
    nsyms = dynsym["size"] // 24
    if versym["size"] < nsyms * 2:
        raise ElfError(".gnu.version shorter than .dynsym")
    targets = []
    for i in range(1, nsyms):
        vs_off = versym["offset"] + 2 * i
        (vs,) = struct.unpack_from("<H", data, vs_off)
        st_off = dynsym["offset"] + 24 * i
        st_name, st_info, _other, st_shndx = struct.unpack_from("<IBBH", data, st_off)
        name = dstr(st_name, dynstr)
        if name == SYMBOL and st_shndx == SHN_UNDEF:
            targets.append((i, st_off, st_info, vs_off, vs))
        elif (vs & 0x7FFF) == plan.version_index:
            raise ElfError("symbol %s also needs %s; refusing to patch (this fix only covers %s)"
                           % (name.decode("ascii", "replace"), VERSION.decode(), SYMBOL.decode()))
    if not targets:
        # version need present but no symbol uses it: making the need weak is enough
        return elf, plan

    # --- no relocation may reference the marker symbol -----------------------
    target_idx = set(t[0] for t in targets)
    for s in elf.sections:
        if s["type"] in (SHT_RELA, SHT_REL) and s["link"] == dynsym["idx"]:
            step = 24 if s["type"] == SHT_RELA else 16
            for off in range(s["offset"], s["offset"] + s["size"] - step + 1, step):
                (r_info,) = struct.unpack_from("<Q", data, off + 8)
                if (r_info >> 32) in target_idx:
                    raise ElfError("a relocation references %s; refusing to make it weak"
                                   % SYMBOL.decode())

    for i, st_off, st_info, vs_off, vs in targets:
        if st_info >> 4 != STB_WEAK:
            new_info = (STB_WEAK << 4) | (st_info & 0xF)
            plan.edits.append((st_off + 4, bytes([st_info]), bytes([new_info])))
        if vs != VER_NDX_GLOBAL:
            plan.edits.append((vs_off, struct.pack("<H", vs), struct.pack("<H", VER_NDX_GLOBAL)))
    return elf, plan


def system_libstdcxx(machine):
    """Paths of the libstdc++.so.6 the loader would use for this architecture."""
    paths = []
    arch = EM_NAMES.get(machine)
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            out = subprocess.check_output([ldconfig, "-p"], stderr=subprocess.DEVNULL)
        except (OSError, subprocess.CalledProcessError):
            continue
        for line in out.decode("utf-8", "replace").splitlines():
            line = line.strip()
            if line.startswith("libstdc++.so.6 ") and "=>" in line:
                tag, path = line.split("=>", 1)
                if arch is None or arch in tag:
                    paths.append(path.strip())
        break
    if not paths:
        for p in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                  "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
                  "/usr/lib/libstdc++.so.6"):
            if os.path.exists(p):
                paths.append(p)
    return paths


def system_has_version(machine):
    """(True, path) if every system libstdc++ found defines GLIBCXX_3.4.32."""
    paths = system_libstdcxx(machine)
    if not paths:
        return False, None
    for p in paths:
        try:
            with open(p, "rb") as f:
                if (VERSION + b"\0") not in f.read():
                    return False, p
        except OSError:
            return False, p
    return True, paths[0]


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        st = os.stat(path)
        os.chmod(tmp, st.st_mode & 0o7777)
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))  # keep timestamps: MSBuild copy checks
        os.replace(tmp, path)  # breaks any hard link to the NuGet cache, never edits it
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def process(path, force, check):
    try:
        with open(path, "rb") as f:
            data = bytearray(f.read())
    except OSError as e:
        raise ElfError("cannot read: %s" % e.strerror)
    elf, plan = analyse(data)
    if not plan.has_need:
        return 0, "nothing to patch (no %s requirement)" % VERSION.decode()
    if not plan.edits:
        return 0, "already patched"
    if not force:
        has, lib = system_has_version(elf.e_machine)
        if has:
            return 0, "not needed (%s provides %s)" % (lib, VERSION.decode())
    if check:
        return 3, "needs patching (%d field(s) to change)" % len(plan.edits)
    for off, old, new in plan.edits:
        if bytes(data[off:off + len(old)]) != old:
            raise ElfError("internal error: unexpected bytes at 0x%x" % off)
        data[off:off + len(new)] = new
    # re-analyse the result before it replaces the original
    _, after = analyse(data)
    if after.edits:
        raise ElfError("internal error: patch did not converge")
    write_atomically(path, bytes(data))
    return 0, "patched (%s made weak, %s weak and unversioned)" % (VERSION.decode(), SYMBOL.decode())


def main(argv):
    args = list(argv[1:])
    force = "--force" in args
    check = "--check" in args
    paths = [a for a in args if a not in ("--force", "--check")]
    if not paths or any(p.startswith("-") for p in paths):
        sys.stderr.write("usage: %s [--force] [--check] PATH/libLibTorchSharp.so [...]\n" % PROG)
        return 2
    status = 0
    for p in paths:
        try:
            rc, msg = process(p, force, check)
            print("%s: %s: %s" % (PROG, p, msg))
        except (ElfError, struct.error) as e:
            sys.stderr.write("%s: error: %s: %s\n" % (PROG, p, e))
            rc = 2
        except OSError as e:
            sys.stderr.write("%s: error: %s: %s\n" % (PROG, p, e))
            rc = 2
        status = max(status, rc)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
