"""Django's SMTP backend, with the sender's address read once instead of once a message.

Delivery sends thousands of reminders over one connection, all from
DEFAULT_FROM_EMAIL. Django checks each message's sender and recipients with
the mail library's address parser, which costs as much as writing the rest
of the message's headers (bench/README.md). The recipients differ from one
message to the next; the sender does not, so its answer is kept.
"""

from __future__ import annotations

import re
import smtplib

from django.core.mail.backends import smtp


class EmailBackend(smtp.EmailBackend):
    _sender: tuple[str, bool, str] | None = None

    def prep_address(self, address: object, force_ascii: bool = True) -> str:
        text = str(address)
        if self._sender is not None and self._sender[:2] == (text, force_ascii):
            return self._sender[2]
        prepared = super().prep_address(text, force_ascii=force_ascii)
        if self._sender is None:  # the first address a backend prepares is its first message's sender
            self._sender = (text, force_ascii, prepared)
        return prepared

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return PipeliningSMTP_SSL if self.use_ssl else PipeliningSMTP


class PipeliningSMTP(smtplib.SMTP):
    """``sendmail`` in two round trips instead of three plus one per recipient, where the server allows it.

    RFC 2920 (PIPELINING, which Postfix, Exim and the big relays announce):
    MAIL, every RCPT and DATA go in one write, their replies are read
    together, and only then is the message sent. Each reminder is one
    message to one recipient, so this halves the waits for the relay, the
    cost that grows with its distance. The replies mean what they mean to
    ``smtplib.SMTP.sendmail``, which is used as it is where the server does
    not announce PIPELINING: the same exceptions with the same codes, so
    ``services.outbox.failure_of`` tells a 4xx from a 5xx either way.
    """

    def sendmail(self, from_addr, to_addrs, msg, mail_options=(), rcpt_options=()):
        self.ehlo_or_helo_if_needed()
        if not self.has_extn("pipelining"):
            return super().sendmail(from_addr, to_addrs, msg, mail_options, rcpt_options)
        if isinstance(msg, str):
            msg = re.sub(r"\r\n|\r|\n", "\r\n", msg).encode("ascii")
        options = [f"size={len(msg)}"] if self.has_extn("size") else []
        options += list(mail_options)
        if any(option.lower() == "smtputf8" for option in options):
            if not self.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError("SMTPUTF8 not supported by server")
            self.command_encoding = "utf-8"
        recipients = [to_addrs] if isinstance(to_addrs, str) else list(to_addrs)
        mail_tail = "".join(f" {option}" for option in options)
        rcpt_tail = "".join(f" {option}" for option in rcpt_options)
        commands = [f"MAIL FROM:{smtplib.quoteaddr(from_addr)}{mail_tail}"]
        commands += [f"RCPT TO:{smtplib.quoteaddr(recipient)}{rcpt_tail}" for recipient in recipients]
        self.send("".join(f"{command}\r\n" for command in [*commands, "DATA"]))

        # Every reply of the group is read before acting on any, so the session
        # stays in step; a 421 means the server is closing, and nothing follows it.
        replies: list[tuple[int, bytes]] = []
        for _command in range(len(commands) + 1):
            replies.append(self.getreply())
            if replies[-1][0] == 421:
                self.close()
                break
        mail, rcpts, data = replies[0], replies[1 : len(recipients) + 1], replies[len(recipients) + 1 :]
        if mail[0] != 250:
            self._give_up(data)
            raise smtplib.SMTPSenderRefused(mail[0], mail[1], from_addr)
        refused = {
            recipient: reply for recipient, reply in zip(recipients, rcpts, strict=False) if reply[0] not in (250, 251)
        }
        if len(rcpts) < len(recipients) or len(refused) == len(recipients):
            self._give_up(data)
            raise smtplib.SMTPRecipientsRefused(refused)
        if not data or data[0][0] != 354:
            code, text = data[0] if data else (421, b"Service not available")
            self._give_up(data)
            raise smtplib.SMTPDataError(code, text)
        body = re.sub(rb"(?m)^\.", b"..", msg)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.send(body + b".\r\n")
        code, text = self.getreply()
        if code != 250:
            if code == 421:
                self.close()
            else:
                self._reset()
            raise smtplib.SMTPDataError(code, text)
        return refused

    def _give_up(self, data: list[tuple[int, bytes]]) -> None:
        """Leave the failed transaction so the connection can carry the next message (as ``sendmail`` does)."""
        if self.sock is None:
            return  # closed on a 421
        if data and data[0][0] == 354:
            # The server took DATA although the transaction failed: end an empty
            # message, which it must refuse for want of a sender or recipient.
            self.send(".\r\n")
            self.getreply()
        self._reset()

    def _reset(self) -> None:
        """RSET, where the server still listens (smtplib's private ``_rset``)."""
        try:
            self.rset()
        except smtplib.SMTPServerDisconnected:
            pass


class PipeliningSMTP_SSL(PipeliningSMTP, smtplib.SMTP_SSL):
    pass
