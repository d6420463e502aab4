#!/usr/bin/env python3
"""Lists the images of a CUDA fat binary and the kernels each holds; checks them against ABI.md.

A stand-in for `cuobjdump --list-elf --list-ptx` and `cuobjdump -symbols` that needs nothing
but Python, because the machines that build Weft have nvcc but no cuobjdump. It reads only
uncompressed fat binaries (build.sh passes nvcc --no-compress) and says so otherwise.

  fatbin.py list FATBIN                 one line per image: kind, arch, kernel count
  fatbin.py check FATBIN ABI.md ARCH..  every kernel ABI.md names is in every listed image
                                        (e.g. sm_80 sm_90 compute_90) and every kernel in the
                                        fat binary is named in ABI.md; exit 1 otherwise

The layout (read from nvcc's output, it is not documented): a 16-byte header (magic
0xBA55ED50, u16 version, u16 header size, u64 size of what follows), then entries, each a
header (u16 kind: 1 PTX, 2 ELF; u32 header size at 4; u64 payload size at 8; u32 SM number
at 28; u64 flags at 40, 0x2000 meaning compressed) followed by its payload.
"""
import re
import struct
import sys

FATBIN_MAGIC = 0xBA55ED50
KIND_PTX, KIND_ELF = 1, 2
FLAG_COMPRESSED = 0x2000
STT_FUNC = 2
STO_CUDA_ENTRY = 0x10  # st_other bit that marks a __global__ function in a cubin


def images(data):
    """Yields (kind, arch, payload) for every image of the fat binary `data`."""
    magic, _version, header_size, size = struct.unpack_from('<IHHQ', data, 0)
    if magic != FATBIN_MAGIC:
        sys.exit('fatbin.py: not a fat binary (magic %#x, expected %#x)' % (magic, FATBIN_MAGIC))
    off, end = header_size, header_size + size
    while off < end:
        kind, _v, entry_header, payload = struct.unpack_from('<HHIQ', data, off)
        sm, = struct.unpack_from('<I', data, off + 28)
        flags, = struct.unpack_from('<Q', data, off + 40)
        if flags & FLAG_COMPRESSED:
            sys.exit('fatbin.py: image %d is compressed; build with nvcc --no-compress' % sm)
        body = data[off + entry_header: off + entry_header + payload]
        if kind == KIND_ELF:
            yield 'sm_%d' % sm, body
        elif kind == KIND_PTX:
            yield 'compute_%d' % sm, body
        off += entry_header + payload


def elf_kernels(elf):
    """The names of the __global__ functions in a cubin (64-bit little-endian ELF)."""
    shoff, = struct.unpack_from('<Q', elf, 0x28)
    shentsize, shnum = struct.unpack_from('<HH', elf, 0x3A)
    sections = [struct.unpack_from('<IIQQQQIIQQ', elf, shoff + i * shentsize) for i in range(shnum)]
    names = set()
    for (_name, sh_type, _f, _a, offset, size, link, _i, _al, entsize) in sections:
        if sh_type != 2:  # SHT_SYMTAB
            continue
        strtab = sections[link]
        str_off = strtab[4]
        for k in range(size // entsize):
            st_name, st_info, st_other = struct.unpack_from('<IBB', elf, offset + k * entsize)
            if st_info & 0xF == STT_FUNC and st_other & STO_CUDA_ENTRY:
                end = elf.index(b'\0', str_off + st_name)
                names.add(elf[str_off + st_name:end].decode())
    return names


def ptx_kernels(ptx):
    return set(re.findall(r'\.entry\s+([A-Za-z_$][\w$]*)', ptx.decode('utf-8', 'replace')))


def kernels_by_image(path):
    data = open(path, 'rb').read()
    out = {}
    for arch, body in images(data):
        out[arch] = elf_kernels(body) if arch.startswith('sm_') else ptx_kernels(body)
    return out


def expand(pattern):
    """Shell-style brace expansion: weft_a_{x,y}_{f32,bf16} -> four names."""
    m = re.search(r'\{([^{}]*)\}', pattern)
    if not m:
        return [pattern]
    return [n for alt in m.group(1).split(',')
            for n in expand(pattern[:m.start()] + alt + pattern[m.end():])]


def abi_kernels(abi_path):
    """Every kernel ABI.md promises: the names on its `kernel ` lines, braces expanded."""
    names = []
    for line in open(abi_path, encoding='utf-8'):
        m = re.match(r'\s*kernel\s+(weft_[\w{},]+)', line)
        if m:
            names.extend(expand(m.group(1)))
    return names


def main(argv):
    if len(argv) >= 3 and argv[1] == 'list':
        for arch, names in kernels_by_image(argv[2]).items():
            print('%-11s %4d kernels' % (arch, len(names)))
        return 0
    if len(argv) >= 5 and argv[1] == 'check':
        found = kernels_by_image(argv[2])
        promised = abi_kernels(argv[3])
        if len(set(promised)) != len(promised):
            dup = sorted({n for n in promised if promised.count(n) > 1})
            print('ABI.md names a kernel twice: ' + ', '.join(dup))
            return 1
        failures = 0
        for arch in argv[4:]:
            have = found.get(arch)
            if have is None:
                print('%s: no %s image in %s (it has %s)' % (arch, arch, argv[2], ', '.join(found)))
                failures += 1
                continue
            missing = [n for n in promised if n not in have]
            extra = sorted(have - set(promised))
            for n in missing:
                print('%s: %s is in ABI.md but not in the fat binary' % (arch, n))
            for n in extra:
                print('%s: %s is in the fat binary but not in ABI.md' % (arch, n))
            failures += len(missing) + len(extra)
            print('%-11s %4d kernels, %d missing, %d undocumented' % (arch, len(have), len(missing), len(extra)))
        return 1 if failures else 0
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
