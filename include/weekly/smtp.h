/* smtp.h - send one message by SMTP through libcurl (loaded at run time,
 * libcurl.h): STARTTLS whenever the server offers it, and required before
 * a password goes to a server that is not on this machine.
 *
 * A failure is reported as one error saying what went wrong in plain
 * words (cannot connect, login refused, message refused) with the
 * server's own reply when it gave one. */
#ifndef WEEKLY_SMTP_H
#define WEEKLY_SMTP_H

#include <stddef.h>
#include "diag.h"

struct smtp_send {
	const char *url;       /* smtp://host[:port] or smtps://host[:port] */
	const char *user, *password; /* NULL: no login */
	const char *ca_file;   /* the authorities to trust, NULL: the system's */
	const char *from;      /* the envelope sender, box@host */
	const char *const *to; /* the envelope recipients, box@host */
	size_t nto;
	long timeout;          /* seconds for the whole exchange */
};

/* Send the message msg (len bytes, lines ended by CRLF). Returns 0, or -1
 * after adding an error to d. On success *reply holds the server's last
 * reply ("250 OK ...") in a fresh string the caller frees. */
int smtp_send(const struct smtp_send *s, const char *msg, size_t len, char **reply,
	      diag_list *d);

#endif
