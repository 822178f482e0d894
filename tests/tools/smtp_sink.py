"""A tiny SMTP server on loopback for tests: it keeps every message it accepts, or refuses
every recipient (a relay that says no). Enough SMTP for Django's SMTP backend (EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH)."""

import socket
import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Delivery:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class SMTPSink:
    refuse_recipients: bool = False
    deliveries: list[Delivery] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0

    def __enter__(self) -> "SMTPSink":
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode("ascii") + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                sender, recipients = "", []
                self.reply("220 sink ESMTP")
                for raw in self.rfile:
                    command = raw.decode("utf-8", "replace").rstrip("\r\n")
                    verb = command[:4].upper()
                    if verb in {"EHLO", "HELO"}:
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        sender, recipients = command.partition(":")[2].strip(" <>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        if sink.refuse_recipients:
                            self.reply("550 5.7.1 Relaying denied")
                        else:
                            recipients.append(command.partition(":")[2].strip(" <>"))
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        for data_line in self.rfile:
                            if data_line == b".\r\n":
                                break
                            lines.append(
                                data_line[1:] if data_line.startswith(b"..") else data_line
                            )
                        message = message_from_bytes(b"".join(lines), policy=policy.default)
                        sink.deliveries.append(Delivery(sender, recipients, message))  # type: ignore[arg-type]
                        self.reply("250 OK: queued")
                    elif verb in {"RSET", "NOOP"}:
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

        self._server = socketserver.ThreadingTCPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def mailer(self) -> dict:
        """A MAILERS entry that sends here (plain SMTP, as to a relay on localhost)."""
        return smtp_mailer(self.host, self.port)


def smtp_mailer(host: str, port: int) -> dict:
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": host, "port": port, "use_tls": False, "timeout": 10},
    }


def closed_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
