/* outcheck.c - an issue's email and posts rendered and checked. */
#include "weekly/mailcheck.h"
#include "weekly/outcheck.h"
#include "weekly/post.h"
#include "weekly/render.h"

void outcheck_email(const struct newsletter *n, const char *path, diag_list *d)
{
	diag_list own = DIAG_LIST_INIT; /* the issue's problems: other checks say them */
	int syserr = 0;
	struct issue *is = issue_load(n, path, &own, &syserr);
	if (!is || own.errors) {
		issue_free(is);
		diag_release(&own);
		return;
	}
	struct renderer *r = renderer_new(n);
	value *ctx = render_context(n, is);
	const char *text_template = render_format("text")->template;
	buf html = BUF_INIT, text = BUF_INIT;
	diag_list email = DIAG_LIST_INIT; /* a broken template is the email's problem */
	int html_ok = renderer_run(r, render_format("email")->template, ctx, &html, &email) == 0;
	diag_move(d, &email);
	diag_release(&email);
	int text_ok = renderer_run(r, text_template, ctx, &text, &own) == 0;
	mailcheck_email(is, html_ok ? &html : NULL, text_ok ? &text : NULL, text_template, d);
	buf_release(&html);
	buf_release(&text);
	value_free(ctx);
	renderer_free(r);
	issue_free(is);
	diag_release(&own);
}

void outcheck_posts(struct renderer *r, const struct newsletter *n,
		    const struct issue *is, value **ctx, diag_list *d)
{
	for (const struct format *f = render_formats; f->name; f++) {
		if (!post_is_channel(f->name) || !renderer_has(r, f->template))
			continue;
		if (!*ctx)
			*ctx = render_context(n, is);
		buf out = BUF_INIT;
		diag_list own = DIAG_LIST_INIT; /* template problems: build reports them */
		if (renderer_run(r, f->template, *ctx, &out, &own) == 0)
			f->check(is, &out, d);
		diag_release(&own);
		buf_release(&out);
	}
}
