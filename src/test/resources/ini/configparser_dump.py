"""Dumps what Python's configparser makes of each case of the INI corpus.

Used by IniDifferentialTest, which renders its own reading of the same files in the same
format and compares. One run covers the whole corpus.

Usage: python3 configparser_dump.py CORPUS_DIR

A case is a file "NN-name.ini", or a directory "NN-name" whose files are read in sorted
order, like the daemon reading several configuration files. Output, one record a line, every
string escaped with escape():
  CASE <name>
  ERROR <exception class> <line> <message>         when read() raises (line 0: unknown)
  SECTION <name>                                   DEFAULT first, then sections()
  VALUE <key> <interpolated value>                 in `for key in config[section]` order
  FAIL <key> <exception class>                     when interpolating that key raises
  END
Fields are separated by a tab.
"""
import configparser
import os
import sys


def escape(text):
    out = []
    for ch in text:
        code = ord(ch)
        if ch == '\\':
            out.append('\\\\')
        elif code < 0x20 or 0x7f <= code <= 0x9f or code in (0x2028, 0x2029):
            out.append('\\u{%x}' % code)
        else:
            out.append(ch)
    return ''.join(out)


def emit(*fields):
    sys.stdout.write('\t'.join(escape(str(f)) for f in fields) + '\n')


def error_line(error):
    """Returns the line configparser blames: the first bad line for a ParsingError."""
    if getattr(error, 'lineno', None):
        return error.lineno
    if getattr(error, 'errors', None):  # ParsingError
        return error.errors[0][0]
    return 0


def dump(files):
    config = configparser.ConfigParser()
    try:
        # The daemon reads with the locale's encoding; UTF-8 here, like a UTF-8 locale.
        read = config.read(files, encoding='utf-8')
    except Exception as error:  # the test compares the class name and the line
        emit('ERROR', type(error).__name__, error_line(error), error)
        return
    if read != files:
        emit('ERROR', 'NotRead', 0, ' '.join(sorted(set(files) - set(read))))
        return
    for section in ['DEFAULT'] + config.sections():
        emit('SECTION', section)
        proxy = config[section]
        for key in proxy:
            try:
                value = proxy[key]
            except Exception as error:
                emit('FAIL', key, type(error).__name__)
            else:
                emit('VALUE', key, value)


def main(corpus):
    sys.stdout.reconfigure(encoding='utf-8', newline='\n')
    for name in sorted(os.listdir(corpus)):
        if not name[:2].isdigit():
            continue
        path = os.path.join(corpus, name)
        if os.path.isdir(path):
            files = [os.path.join(path, f) for f in sorted(os.listdir(path))]
        else:
            files = [path]
        emit('CASE', name)
        dump(files)
        emit('END')


if __name__ == '__main__':
    main(sys.argv[1])
