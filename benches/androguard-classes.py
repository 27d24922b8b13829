#!/usr/bin/python3
"""The reference for `inspect --scan`'s speed: list every class defined in the
DEX files of an APK with androguard (Debian's python3-androguard), as a
class-listing SDK scanner built on it does. Used by the README's benchmark."""
import sys

from androguard.core.bytecodes.apk import APK
from androguard.core.bytecodes.dvm import DalvikVMFormat

n = 0
for path in sys.argv[1:]:
    for dex in APK(path).get_all_dex():
        for c in DalvikVMFormat(dex).get_classes():
            c.get_name()
            n += 1
print(n)
