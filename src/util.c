/* util.c - allocation wrappers that exit on failure, tiny string helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "weekly/util.h"

static void *check(void *p)
{
	if (!p) {
		fputs("weekly: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

void *xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *xcalloc(size_t count, size_t n) { return check(calloc(count ? count : 1, n ? n : 1)); }
void *xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xvasprintf(const char *fmt, va_list ap)
{
	char small[256];
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0)
		n = 0;
	char *s = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(s, small, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	*p = xrealloc(*p, n * elem);
	*cap = n;
}

int util_ieq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

int util_url_safe(const char *u)
{
	char scheme[16];
	size_t k = 0;
	while (*u && (unsigned char)*u <= ' ')
		u++;
	for (; *u && *u != ':'; u++) {
		if (*u == '\t' || *u == '\n' || *u == '\r')
			continue;
		if (!isalnum((unsigned char)*u) && *u != '+' && *u != '-' && *u != '.')
			return 1; /* no scheme: a relative URL */
		if (k == sizeof scheme - 1)
			return 0;
		scheme[k++] = (char)tolower((unsigned char)*u);
	}
	if (!*u || k == 0)
		return 1;
	scheme[k] = '\0';
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	       strcmp(scheme, "mailto") == 0;
}
