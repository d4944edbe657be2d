"""People, roles, scopes and API tokens, and the base every recorded model stands on."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import ClassVar

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import chain
from .choices import OWN, BackupKind, ScopeKind
from .querysets import RestrictedQuerySet


def user_field(verbose_name) -> models.ForeignKey:
    """Who made or moved a record (a run, a version, a stage change): kept as a name on the
    record, not a link the user's deletion would block."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )


@dataclass(frozen=True)
class Recorded:
    """How the change log records a model, declared once on the model as ``change_log``.

    ``parent`` names the foreign key whose object's history shows this row's changes too
    (an annual figure's enterprise); ``include``/``exclude`` narrow the fields recorded
    (a rule file's text is its version, not a change); ``frozen`` rows are a run's output,
    created with their parent and recorded by its entry, so only later changes are logged.
    Every model is recorded, from one place at start-up (``beacon.core.changelog``).
    """

    parent: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    frozen: bool = False


class BeaconModel(models.Model):
    """Base of every registry object: timestamps and the permission-aware queryset.

    ``scope_paths`` maps a scope kind to the lookup from this model to the scoped object,
    e.g. ``{"park": "park", "enterprise": "pk"}``; a kind it does not name grants nothing.
    """

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    scope_paths: dict[str, str] = {}
    change_log = Recorded()

    class Meta:
        abstract = True


class BilingualNameMixin(models.Model):
    """A name in Chinese and in English, shown in the user's language where known."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name(self.name, self.name_en)


def display_name(name: str, name_en: str) -> str:
    """A bilingual name in the user's language where it is known."""
    return name_en if name_en and get_language() == "en" else name


class Role(models.Model):
    """A role is data: a code, names and the rules of what its users may do.

    ``rules`` is a list of ``{"models": ["registry.enterprise" | "registry.*" | "*"],
    "actions": ["view", "add", "change", "delete"], "scope": "zone|park|team|enterprise"}``.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    rules = models.JSONField(_("rules"), default=list)
    privileged = models.BooleanField(
        _("privileged"), default=False, help_text=_("Needs a second factor to log in.")
    )
    staff = models.BooleanField(_("may use the Django admin"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.name_en if get_language() == "en" else self.name


class User(AbstractUser):
    """A member of staff or an enterprise's user. One role per user, so no one holds two."""

    role = models.ForeignKey(
        Role,
        verbose_name=_("role"),
        related_name="users",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    # The password's hash is not a change to show anyone; logins are the login log's.
    change_log = Recorded(exclude=("password", "last_login"))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def scope_ids(self, kind: str) -> frozenset[int]:
        """Ids of the objects of ``kind`` (park, team, enterprise) granted to this user; for
        ``own``, the user's own id."""
        if kind == OWN:
            return frozenset({self.pk})
        cache = self.__dict__.setdefault("_scope_cache", {})
        if kind not in cache:
            cache[kind] = frozenset(
                self.scope_grants.filter(kind=kind).values_list("object_id", flat=True)
            )
        return cache[kind]


class PasswordHistory(models.Model):
    """A password a user has had, as its hash only, and when it was set: the history a new
    password may not repeat, and the age that makes the current one expire
    (``beacon.core.passwords``)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="password_history", on_delete=models.CASCADE
    )
    password = models.CharField(_("password hash"), max_length=128)
    created = models.DateTimeField(_("set"), default=timezone.now, db_index=True)

    # A change of password is recorded, never the hash.
    change_log = Recorded(parent="user", include=("user", "created"))

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")

    def __str__(self):
        return f"{self.user} {self.created:%Y-%m-%d %H:%M}"


class ScopeGrant(models.Model):
    """One object (a park, a team, an enterprise) a user's scoped rules reach."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="scope_grants", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ScopeKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))

    change_log = Recorded(parent="user")

    class Meta:
        verbose_name = _("scope grant")
        verbose_name_plural = _("scope grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id"],
                name="core_scopegrant_unique",
                violation_error_message=_("This user already has this grant."),
            )
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.object_id}"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token, stored only as its SHA-256 hash; the key is shown once, on creation.
    Every token expires (``BEACON_TOKEN_DAYS`` after it is issued, unless issued for fewer
    or more days) and can be revoked before; neither kind is let in again."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), related_name="api_tokens", on_delete=models.CASCADE
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    # Issued and revoked are changes; the hash is a secret, each use is not a change.
    change_log = Recorded(exclude=("key_hash", "last_used"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}…"

    @classmethod
    def issue(
        cls, user: User, description: str = "", days: int | None = None
    ) -> tuple["ApiToken", str]:
        """A new token of ``user`` for ``days`` (``BEACON_TOKEN_DAYS`` unless given) and its
        key, which is not kept."""
        key = "bcn_" + secrets.token_urlsafe(32)
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            key_hash=hash_token(key),
            prefix=key[:8],
            description=description,
            created=now,
            expires=now + dt.timedelta(days=days or settings.BEACON_TOKEN_DAYS),
        )
        return token, key

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def state(self) -> str:
        if self.revoked is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"


class RateCounter(models.Model):
    """The API requests of one token or one user in the current window of the rate limits
    (``beacon.core.api.throttling``): one row each, counted in the database that every
    worker process shares."""

    key = models.CharField(max_length=40, unique=True)  # "token:<id>" or "user:<id>"
    window = models.BigIntegerField()  # the window's number since 1970, in its own length
    hits = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.key}: {self.hits}"


class CacheEntry(models.Model):
    """A row of Django's database cache (``CACHES`` in settings), the one cache every worker
    process and every app host shares. Declared as a model, with the columns
    ``createcachetable`` would give it, so that ``migrate`` makes the table and backups and
    the runtime role's grants know it; only the cache reads and writes it."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "beacon_cache"

    def __str__(self):
        return self.cache_key


class ChainedManager(models.Manager):
    """Chains the rows of a bulk insert in the order given, in its transaction."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            chain.link(objs, *chain.chain_tail(self.model, self.db))
            return super().bulk_create(objs, *args, **kwargs)


class ChainedRecord(models.Model):
    """A row of an audit log: its place in the log's hash chain, the hash of the row before
    it and its own (``beacon.core.chain``), set as it is inserted. The database refuses to
    change or delete it (``beacon.core.audit``)."""

    chain_seq = models.BigIntegerField(_("place in the chain"), unique=True, editable=False)
    chain_prev = models.CharField(_("previous hash"), max_length=64, editable=False)
    chain_hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects: ClassVar[models.Manager] = ChainedManager()

    class Meta:
        abstract = True

    def save(self, *args, using=None, **kwargs):
        if not self._state.adding:
            raise ValueError("An audit log is append-only: an entry is never changed.")
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):  # the chain's lock lasts until this commits
            super().save(*args, using=using, **kwargs)

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        # Linked at the insert itself, not in save(): the pre_save receivers have run by
        # now, and auditlog names an entry's actor and address in one of them. A raw save
        # (loaddata, a restore) puts back a row as it was, its links included.
        if not (raw and self.chain_hash):
            chain.link([self], *chain.chain_tail(type(self), using))
        return super()._do_insert(manager, using, fields, returning_fields, raw)

    def delete(self, *args, **kwargs):
        raise ValueError("An audit log is append-only: an entry is never deleted.")


def parent_of(instance) -> dict:
    """The history parent's columns of a change-log entry about ``instance``."""
    from .changelog import recorded as how_recorded  # changelog stands on these models

    recorded = how_recorded(type(instance))
    if recorded is None or recorded.parent is None:
        return {}
    field = instance._meta.get_field(recorded.parent)
    parent_id = getattr(instance, field.attname)
    if parent_id is None:
        return {}
    return {
        "parent_type": ContentType.objects.get_for_model(field.related_model),
        "parent_id": parent_id,
    }


class ChangeLogManager(ChainedManager, LogEntryManager):
    """auditlog's manager, filling in the history parent of every entry it writes."""

    def log_create(self, instance, force_log: bool = False, **kwargs):
        return super().log_create(instance, force_log, **{**parent_of(instance), **kwargs})

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        kwargs = {**parent_of(instance), **kwargs}
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class ChangeLogEntry(AbstractLogEntry, ChainedRecord):  # noqa: DJ008  (auditlog gives __str__)
    """One recorded change: who, when, from where, the object, its fields before and after,
    and the parent whose history shows it (an enterprise for its figures). Append-only.

    It is auditlog's own table with the parent's columns added: the log kept before stays
    where it is, and no second, dangling table blocks a flush. auditlog's migrations still
    run on this table, so a field a later auditlog adds is added to this model as state only
    (as migration core 0003 does).
    """

    # Typed by hand: auditlog's AbstractLogEntry has no type information, so the Django
    # plugin does not read this class as a model.
    # the table's key as auditlog made it
    id: "models.AutoField[int, int]" = models.AutoField(primary_key=True, verbose_name="ID")
    parent_type: "models.ForeignKey[ContentType | None, ContentType | None]" = models.ForeignKey(
        ContentType,
        verbose_name=_("parent type"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    parent_id: "models.BigIntegerField[int | None, int | None]" = models.BigIntegerField(
        _("parent id"), null=True, blank=True
    )
    # An account that has acted is deactivated, not deleted: the append-only log cannot
    # forget who made a change, so deleting such an account is refused.
    actor: "models.ForeignKey[User | None, User | None]" = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    objects: ClassVar[ChangeLogManager] = ChangeLogManager()

    class Meta(AbstractLogEntry.Meta):
        db_table = "auditlog_logentry"
        indexes = [
            # an object's history page: its own entries and its children's, one query each way
            models.Index(fields=["content_type", "object_id"], name="core_change_object"),
            models.Index(fields=["parent_type", "parent_id"], name="core_change_parent"),
        ]

    def delete(self, *args, **kwargs):
        raise ValueError("The change log is append-only: an entry is never deleted.")


class BackupRecord(models.Model):
    """A backup taken or a restore made (``beacon backup``, ``beacon restore``): when, by
    which operating-system account on which host, which file and its manifest's checksum.

    A restore replaces this table with the backup's copy like every other, then adds its own
    row in the same transaction: the restore is the first change the restored log records.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=BackupKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    os_user = models.CharField(_("operating-system account"), max_length=150)
    host = models.CharField(_("host"), max_length=255)
    file = models.CharField(_("file"), max_length=1000)
    manifest_sha256 = models.CharField(_("manifest SHA-256"), max_length=64)
    taken = models.DateTimeField(_("backup taken"))
    tables = models.PositiveIntegerField(_("tables"))
    rows = models.PositiveBigIntegerField(_("rows"))
    encrypted = models.BooleanField(_("encrypted"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("backup record")
        verbose_name_plural = _("backup records")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M} {self.file}"


class LoginKind(models.TextChoices):
    LOGIN = "login", _("login")
    LOGOUT = "logout", _("logout")


class LoginEvent(ChainedRecord):
    """What the login log keeps of every attempt: when, as whom, from where."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    username = models.CharField(_("username"), max_length=255, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    path = models.CharField(_("path"), max_length=255, blank=True)

    class Meta(ChainedRecord.Meta):
        abstract = True


class LoginRecord(LoginEvent):
    """One login or one logout, each its own row: the login log is append-only, so a
    logout is recorded as a row of its own, not written into its login's row. The two of
    one session share its ``session_hash``."""

    kind = models.CharField(_("event"), max_length=10, choices=LoginKind.choices)
    session_hash = models.CharField(_("session key hash (SHA-256)"), max_length=64, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("login")
        verbose_name_plural = _("logins")
        indexes = [models.Index(fields=["session_hash"], name="core_login_session")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.time:%Y-%m-%d %H:%M:%S}"


class LoginFailure(LoginEvent):
    """One failed login, and whether the account was locked at that attempt."""

    locked_out = models.BooleanField(_("locked out"), default=False)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self):
        return f"{self.username} {self.time:%Y-%m-%d %H:%M:%S}"


def logins(queryset):
    """The login rows of ``queryset``, each with the time its session logged out (None while
    it has not, or when it ended by timing out)."""
    if "logout_time" in queryset.query.annotations:
        return queryset
    logout = (
        LoginRecord.objects.filter(
            kind=LoginKind.LOGOUT,
            username=models.OuterRef("username"),
            session_hash=models.OuterRef("session_hash"),
            time__gte=models.OuterRef("time"),
        )
        .exclude(session_hash="")
        .order_by("time")
        .values("time")[:1]
    )
    return queryset.filter(kind=LoginKind.LOGIN).annotate(logout_time=models.Subquery(logout))


class AuditAnchor(models.Model):
    """Where an archived part of an audit log ended: the remaining rows chain on from this
    row's place and hash, and the archive file ends with them."""

    log_table = models.CharField(_("log"), max_length=63)
    chain_seq = models.BigIntegerField(_("last place archived"))
    chain_hash = models.CharField(_("its hash"), max_length=64)
    rows = models.PositiveIntegerField(_("rows archived"))
    before = models.DateTimeField(_("archived rows before"))
    archived_at = models.DateTimeField(_("archived at"), default=timezone.now)
    file = models.CharField(_("archive file"), max_length=500)

    class Meta:
        ordering = ["log_table", "chain_seq"]
        verbose_name = _("audit archive anchor")
        verbose_name_plural = _("audit archive anchors")
        constraints = [
            models.UniqueConstraint(fields=["log_table", "chain_seq"], name="core_anchor_unique")
        ]

    def __str__(self):
        return f"{self.log_table} … {self.chain_seq}"
