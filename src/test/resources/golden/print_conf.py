"""Prints a configuration the way anycast-healthchecker 0.9.10 does for --print-conf.

Usage: print_conf.py DAEMON_FILE [SERVICE_FILE ...]. The defaults are read from the golden
-p output of this repository, which the test checks separately.
"""
import configparser
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
defaults = configparser.ConfigParser(interpolation=None)
defaults.read(os.path.join(here, "print-defaults.txt"))
config = configparser.ConfigParser()
config.read_dict({"DEFAULT": dict(defaults["DEFAULT"]),
                  "daemon": {k: v for k, v in defaults.items("daemon", raw=True)
                             if k not in defaults["DEFAULT"]}})
config.read(sys.argv[1:])
for section in config:
    print("[{}]".format(section))
    for key, value in config[section].items():
        print("{k} = {v}".format(k=key, v=value))
    print()
