// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so the wide-character API must be switched on here.
#ifndef KUBESKEW_CNCURSESW_SHIM_H
#define KUBESKEW_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#endif
