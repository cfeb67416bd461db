/* cmd_send.c - `weekly send N --to ADDRESS`: the issue's message (the eml
 * format) to a few addresses by SMTP, as a proof for the editor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/issue.h"
#include "weekly/mail.h"
#include "weekly/render.h"
#include "weekly/smtp.h"
#include "weekly/util.h"
#include "weekly/validate.h"

/* A proof goes to a few people, never to a list. */
#define SEND_MAX_TO 5

struct send_args {
	long number;
	const char *to[SEND_MAX_TO];
	size_t nto;
};

static const struct option options[] = {
	{ "--to", "ADDRESS", 1, "who gets the proof; up to 5 times", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

/* N, then nothing more; --to ADDRESS, up to SEND_MAX_TO times. */
static int option(void *ud, int key, const struct opts *o)
{
	struct send_args *a = ud;
	const char *why = key == OPTS_ARG ? NULL : mail_address_problem(o->val);
	if (key == OPTS_ARG && a->number)
		return opts_unexpected(o);
	if (key == OPTS_ARG)
		return (a->number = opts_issue_arg(o)) < 0 ? EXIT_USAGE : 0;
	if (why)
		return cmd_usage_error("send", "--to '%s' %s", o->val, why);
	if (a->nto == SEND_MAX_TO)
		return cmd_usage_error("send", "at most %d addresses: a proof is not "
				       "a mailing list", SEND_MAX_TO);
	a->to[a->nto++] = o->val;
	return 0;
}

static int parse_args(int argc, char **argv, struct send_args *a)
{
	int rc = opts_parse("send", options, argc, argv, option, a);
	if (rc)
		return rc;
	if (!a->number)
		return cmd_usage_error("send", "which issue? give its number");
	if (!a->nto)
		return cmd_usage_error("send", "who gets the proof? give --to ADDRESS");
	return 0;
}

static void report(diag_list *d)
{
	diag_sort(d);
	diag_print(d, stderr, diag_default_format(), diag_want_color(stderr));
}

/* The message of issue number, To header first, into msg. */
static int message(const struct newsletter *n, const struct send_args *a, buf *msg)
{
	struct issue_file *files;
	size_t nfiles;
	if (issue_files_list(n, &files, &nfiles) < 0) {
		fprintf(stderr, "weekly send: cannot read the issues folder\n");
		return EXIT_SYSTEM;
	}
	const struct issue_file *f = issue_files_find(files, nfiles, a->number);
	int rc = EXIT_CLEAN, syserr = 0;
	diag_list d = DIAG_LIST_INIT;
	struct issue *is = f ? issue_load(n, f->path, &d, &syserr) : NULL;
	if (!f) {
		fprintf(stderr, "weekly send: there is no issue %ld in issues/\n", a->number);
		rc = EXIT_CONTENT;
	} else if (is) {
		validate_issue(n, is, f->number, &d);
	}
	if (rc == EXIT_CLEAN)
		rc = syserr ? EXIT_SYSTEM : d.errors ? EXIT_CONTENT : EXIT_CLEAN;
	if (rc == EXIT_CLEAN) {
		struct renderer *r = renderer_new(n);
		value *ctx = render_context(n, is);
		mail_to_header(msg, a->to, a->nto);
		if (renderer_run(r, render_format("eml")->template, ctx, msg, &d) < 0)
			rc = EXIT_CONTENT;
		value_free(ctx);
		renderer_free(r);
	}
	report(&d);
	diag_release(&d);
	issue_free(is);
	issue_files_free(files, nfiles);
	return rc;
}

/* A setting under email:, unless the environment variable env says. */
static const char *setting(const struct newsletter *n, const char *key, const char *env)
{
	const char *e = env ? getenv(env) : NULL;
	if (e && *e)
		return e;
	return value_str(value_getc(value_getc(n->settings, "email"), key));
}

static int deliver(const struct newsletter *n, const struct send_args *a, const buf *msg)
{
	struct smtp_send s = {
		.url = setting(n, "smtp_url", NULL),
		.user = setting(n, "smtp_user", "WEEKLY_SMTP_USER"),
		.password = setting(n, "smtp_password", "WEEKLY_SMTP_PASSWORD"),
		.nto = a->nto, .timeout = 60,
	};
	const char *ca = setting(n, "smtp_ca_file", NULL);
	char *ca_path = ca && *ca && ca[0] != '/' ? fs_join(n->root, ca) : NULL;
	s.ca_file = ca_path ? ca_path : ca;
	if (!s.url || (strncasecmp(s.url, "smtp://", 7) && strncasecmp(s.url, "smtps://", 8))) {
		free(ca_path);
		fprintf(stderr, "weekly send: %s: set email.smtp_url in %s (smtp://HOST:587 or "
			"smtps://HOST:465)\n", s.url && *s.url ? "not an SMTP server's address"
			: "no server to send through", n->settings_path);
		return EXIT_CONTENT;
	}
	buf from = BUF_INIT;
	mail_address_only(setting(n, "from", NULL), &from);
	char *boxes[SEND_MAX_TO];
	for (size_t i = 0; i < a->nto; i++) {
		buf b = BUF_INIT;
		mail_address_only(a->to[i], &b);
		boxes[i] = buf_take(&b);
	}
	s.from = from.data;
	s.to = (const char *const *)boxes;
	diag_list d = DIAG_LIST_INIT;
	char *reply;
	int rc = smtp_send(&s, msg->data, msg->len, &reply, &d) < 0 ? EXIT_SYSTEM : EXIT_CLEAN;
	if (rc == EXIT_CLEAN)
		diag_say(stdout, "issue %ld sent to %zu address%s through %s: %s\n", a->number,
			 a->nto, a->nto == 1 ? "" : "es", s.url, reply);
	report(&d);
	diag_release(&d);
	free(reply);
	for (size_t i = 0; i < a->nto; i++)
		free(boxes[i]);
	buf_release(&from);
	free(ca_path);
	return rc;
}

static int send_main(int argc, char **argv, struct newsletter *n)
{
	struct send_args a = { 0 };
	buf msg = BUF_INIT;
	int rc = parse_args(argc, argv, &a);
	if (rc == EXIT_CLEAN)
		rc = message(n, &a, &msg);
	if (rc == EXIT_CLEAN)
		rc = deliver(n, &a, &msg);
	buf_release(&msg);
	return rc;
}

const struct cmd cmd_send = {
	"send", send_main, "mail an issue to a few addresses as a proof", CMD_SETTINGS,
	"usage: weekly send N --to ADDRESS [--to ADDRESS...]\n\n"
	"Send issue N's message (what `weekly build N -f eml` writes, with a To\n"
	"header) to at most 5 addresses by SMTP, through the server of\n"
	"email.smtp_url in issues/newsletter.yaml (smtp://HOST:587, or\n"
	"smtps://HOST:465). STARTTLS is used whenever the server offers it, and\n"
	"required before a password goes to a server on another machine;\n"
	"certificates are verified (email.smtp_ca_file: a private authority). The\n"
	"login is email.smtp_user and email.smtp_password, or WEEKLY_SMTP_USER\n"
	"and WEEKLY_SMTP_PASSWORD from the environment.\n",
	options,
	"Exit status: 0 sent, 1 the issue or the settings have errors, 2 usage,\n"
	"3 not sent (no connection, login refused, message refused).\n"
};
