/* validate.c - the rules over a parsed issue: front matter, sections, items. */
#include <string.h>
#include "weekly/util.h"
#include "weekly/validate.h"

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int validate_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static void front_rules(const struct issue *is, long file_number, diag_list *d)
{
	if (!is->front)
		return; /* the parser said why */
	const value *num = value_getc(is->front, "number");
	const value *date = value_getc(is->front, "date");
	if (!num)
		diag_add(d, DIAG_ERROR, is->path, 1, 1, "front-matter",
			 "missing 'number' in front matter");
	else if (is->number < 0)
		diag_add(d, DIAG_ERROR, is->path, num->line, num->col, "front-matter",
			 "'number' must be a positive whole number");
	else if (file_number >= 0 && is->number != file_number)
		diag_add(d, DIAG_ERROR, is->path, num->line, num->col, "front-matter",
			 "'number' is %ld but the file name says %ld", is->number, file_number);
	if (!date)
		diag_add(d, DIAG_ERROR, is->path, 1, 1, "front-matter",
			 "missing 'date' in front matter");
	else if (!is->date || !validate_date(is->date))
		diag_add(d, DIAG_ERROR, is->path, date->line, date->col, "front-matter",
			 "'date' must be a real date written YYYY-MM-DD");
}

static int http_url(const char *u)
{
	return strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0;
}

static void link_rules(const struct issue *is, diag_list *d)
{
	for (size_t i = 0; i < is->nlinks; i++) {
		const struct link *l = &is->links[i];
		if (!*l->url)
			diag_add(d, DIAG_ERROR, is->path, l->line, l->col, "url", "empty URL");
		else if (!http_url(l->url))
			diag_add(d, DIAG_ERROR, is->path, l->line, l->col, "url",
				 "URL '%s' is not http or https", l->url);
	}
}

void validate_issue(const struct newsletter *n, const struct issue *is,
		    long file_number, diag_list *d)
{
	(void)n;
	front_rules(is, file_number, d);
	link_rules(is, d);
}
