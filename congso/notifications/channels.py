"""Channel backends: one interface, ``send(message) -> provider message id``, for every way congso reaches
people. A backend raises ``TemporaryError`` when trying again later may work (network, provider busy) and
``PermanentError`` when it never will (refused address, channel not available); the task decides what
follows. SMS gateways plug in through the ``CONGSO_SMS_BACKEND`` setting (a dotted path to an
``SmsProvider``)."""

import hashlib
import logging
import smtplib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.utils import timezone
from django.utils.module_loading import import_string

from congso.core.masking import mask_phone
from congso.notifications.constants import DEFAULT_SMS_BACKEND, MessageChannel
from congso.notifications.models import Message

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A channel could not deliver a message. The text may quote the provider; it is redacted before it is
    logged or stored."""


class TemporaryError(DeliveryError):
    """Try again later."""


class PermanentError(DeliveryError):
    """Trying again will not help: give up."""


class ChannelBackend:
    def send(self, message: Message) -> str:
        """Deliver ``message``; return the provider's id for it. Raise TemporaryError or PermanentError."""
        raise NotImplementedError


CHANNELS: dict[str, ChannelBackend] = {}


def register(name: str):
    """Class decorator: make an instance of the class the backend of channel ``name``."""

    def decorator(cls: type[ChannelBackend]) -> type[ChannelBackend]:
        CHANNELS[name] = cls()
        return cls

    return decorator


def channel_backend(name: str) -> ChannelBackend:
    try:
        return CHANNELS[name]
    except KeyError:
        raise PermanentError(f"No backend for the channel {name!r}.") from None


@register(MessageChannel.EMAIL)
class EmailChannel(ChannelBackend):
    """Django's e-mail backend (SMTP in production, files in development, memory in tests)."""

    def send(self, message: Message) -> str:
        message_id = make_msgid(domain=str(DNS_NAME))
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        try:
            sent = email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError(f"The mail server refused the recipient: {exc.recipients}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryError(f"{type(exc).__name__}: {exc}") from exc
        if not sent:
            raise TemporaryError("The e-mail backend sent nothing.")
        return message_id


class SmsProvider:
    """An SMS gateway. Subclass it for a real one and name it in ``CONGSO_SMS_BACKEND``."""

    def send_sms(self, *, phone: str, text: str, reference: str) -> str:
        """Send ``text`` to ``phone`` (ten digits starting with 0); return the gateway's message id.
        Raise TemporaryError or PermanentError.

        ``reference`` is congso's own id for the message and must be passed to the gateway as its idempotency
        key (the client request id every Vietnamese SMS brand-name gateway takes): a worker killed after the
        gateway accepted a message but before congso recorded it sends it again on the sweep, and only the
        gateway can then drop the second copy (bench/faults measured 1 such case in 450 submissions)."""
        raise NotImplementedError


class DevelopmentSmsProvider(SmsProvider):
    """Sends nothing: writes each SMS to a file under ``VAR_DIR/sms/`` for a developer to read, and logs
    where (with the number masked)."""

    def send_sms(self, *, phone: str, text: str, reference: str) -> str:
        provider_id = f"dev-{uuid.uuid4().hex[:12]}"
        now = timezone.localtime()
        folder = Path(settings.VAR_DIR) / "sms"
        # Like a real gateway, the reference is an idempotency key: a retry of the same message sends nothing.
        # (With the number and text in the key, a new database reusing message ids still writes its own.)
        safe_reference = "".join(c for c in reference if c.isalnum() or c in "-_")[:40]
        digest = hashlib.sha256(f"{reference}|{phone}|{text}".encode()).hexdigest()[:16]
        path = folder / f"{safe_reference}-{digest}.txt"
        headers = f"To: {phone}\nDate: {now.isoformat()}\nReference: {reference}\nProvider-Id: {provider_id}"
        body = f"{headers}\n\n{text}\n"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as file:
                file.write(body)
        except FileExistsError:
            first = path.read_text(encoding="utf-8")
            found = next(
                (line.split(": ", 1)[1] for line in first.splitlines() if line.startswith("Provider-Id:")), ""
            )
            logger.info("development SMS %s already sent: not sent again", reference)
            return found or provider_id
        except OSError as exc:
            raise TemporaryError(f"Cannot write the development SMS: {exc}") from exc
        logger.info("development SMS to %s (%d characters) written to %s", mask_phone(phone), len(text), path)
        return provider_id


def sms_provider() -> SmsProvider:
    return import_string(getattr(settings, "CONGSO_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


@register(MessageChannel.SMS)
class SmsChannel(ChannelBackend):
    def send(self, message: Message) -> str:
        return sms_provider().send_sms(phone=message.recipient, text=message.body, reference=str(message.pk))


@register(MessageChannel.ZALO)
class ZaloChannel(ChannelBackend):
    """Declared so that the channel has a name; Zalo ZNS (approved templates, an official account, OAuth
    tokens) is not implemented yet."""

    def send(self, message: Message) -> str:
        raise PermanentError(
            "The Zalo channel is not implemented yet: send this notification by SMS or e-mail."
        )
