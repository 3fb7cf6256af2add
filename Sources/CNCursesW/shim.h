// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, so the wide-character API must be switched on here.
#ifndef KUBESKEW_CNCURSESW_SHIM_H
#define KUBESKEW_CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift's Glibc module parses <wchar.h> without _XOPEN_SOURCE, so wcwidth is not visible from Swift otherwise.
extern int wcwidth(wchar_t c);
static inline int cnc_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

// C globals import as shared mutable state (a Swift 6 error) and attribute macros do not import at all.
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_colors(void) { return COLORS; }
static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }

// The codeset of the current LC_CTYPE ("UTF-8" when the terminal speaks UTF-8).
static inline const char *cnc_codeset(void) { return nl_langinfo(CODESET); }
#endif
