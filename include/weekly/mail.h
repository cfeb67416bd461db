/* mail.h - an issue as an email message: RFC 5322 headers (UTF-8 words
 * encoded per RFC 2047, long lines folded), a MIME multipart/alternative
 * body whose text and HTML parts are quoted-printable, lines ended by CRLF.
 *
 * The message's settings live under `email:` in issues/newsletter.yaml:
 * from, reply_to, list_unsubscribe (and the SMTP ones smtp.h reads). The
 * subject comes from templates/subject.txt.mustache, the parts from the
 * text and email formats. Nothing here reads or writes files. */
#ifndef WEEKLY_MAIL_H
#define WEEKLY_MAIL_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"
#include "value.h"

/* Why s cannot be an address header ("Name <box@host>" or "box@host"),
 * or NULL when it can. */
const char *mail_address_problem(const char *s);
/* The address of s without its display name (box@host), into out. */
void mail_address_only(const char *s, buf *out);

/* Append the header "To: " with the addresses to[0..n) and its CRLF. */
void mail_to_header(buf *out, const char *const *to, size_t n);

/* The eml format: the subject the format's template rendered (in doc),
 * the text and email formats of ctx as the parts (parts[0] and parts[1]),
 * the settings of ctx's newsletter.email as the headers; the message into
 * out. Returns 0, or -1 after adding an error to d. */
int mail_issue(const value *ctx, const buf *doc, const buf *parts, buf *out,
	       diag_list *d);

#endif
