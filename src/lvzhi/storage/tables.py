"""The database schema as SQLAlchemy Core tables (plain rows; the repository maps them to the domain).

Every change here needs an Alembic revision in ``migrations/versions``; a test compares the two.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

departments = Table(
    "departments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("county", String(100), nullable=False, server_default=""),
    Column("registered", Boolean, nullable=False, server_default="1"),
)

department_aliases = Table(
    "department_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "department_id",
        ForeignKey("departments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("alias", String(200), nullable=False, unique=True),
)

townships = Table(
    "townships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("county", String(100), nullable=False, server_default=""),
)

list_versions = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("township_id", ForeignKey("townships.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("label", String(100), nullable=False),
    Column("effective_date", Date, nullable=True),
    Column("source", String(500), nullable=False, server_default=""),
    Column("content_hash", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("township_id", "number"),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", ForeignKey("list_versions.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("number", Integer, nullable=False),
    Column("category", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("token_count", Integer, nullable=False, server_default="0"),
    UniqueConstraint("version_id", "kind", "number"),
    Index("ix_items_version_category", "version_id", "category"),
)

FIELDS = ("department_duties", "township_duties", "working_method")
"""The duty texts an item may have; ``item_paragraphs.field`` is one of them."""

item_paragraphs = Table(
    "item_paragraphs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(24), nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("step", Integer, nullable=True),
    Column("is_heading", Boolean, nullable=False, server_default="0"),
    UniqueConstraint("item_id", "field", "position"),
)

ROLES = ("lead", "receiver", "assist")
"""How an item names a department: 牵头 (lead), 承接 (receiver), named in the duty text (assist)."""

item_departments = Table(
    "item_departments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(10), nullable=False),
    Column("position", Integer, nullable=False),
    Column("printed_name", String(200), nullable=False),
    Column("department_name", String(200), nullable=False, index=True),
    Column(
        "department_id",
        ForeignKey("departments.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
)

item_terms = Table(
    "item_terms",
    metadata,
    Column("item_id", ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    Column("term", String(64), primary_key=True),
    Column("tf", Integer, nullable=False),
    Index("ix_item_terms_term", "term"),
)

# ---- admission reviews (职责准入审查) ----

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", ForeignKey("list_versions.id"), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("sender", String(200), nullable=False, server_default=""),
    Column("sender_department", String(200), nullable=True, index=True),
    Column("received", Date, nullable=False),
    Column("deadline", Date, nullable=True),
    Column("reviewer", String(100), nullable=False),
    Column("state", String(20), nullable=False, index=True),
    Column("suggested", String(20), nullable=False),
    Column("decision", String(20), nullable=True),
    Column("decided_by", String(100), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("comments", Text, nullable=False, server_default=""),
    Column("county_outcome", String(20), nullable=True),
    Column("county_by", String(100), nullable=True),
    Column("county_at", DateTime(timezone=True), nullable=True),
    Column("county_note", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
)

review_demands = Table(
    "review_demands",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("suggested", String(20), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("items", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    UniqueConstraint("review_id", "number"),
)

review_overrides = Table(
    "review_overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "demand_id", ForeignKey("review_demands.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("before", String(20), nullable=False),
    Column("after", String(20), nullable=False),
    Column("by", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
)

review_audit = Table(
    "review_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", ForeignKey("reviews.id"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(20), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
)
"""Append-only: the migration adds triggers that refuse UPDATE and DELETE on this table."""

# ---- work orders (工单) ----
# Times are China Standard Time wall clock without a zone (see docs/decisions.md).

work_orders = Table(
    "work_orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("township_id", ForeignKey("townships.id"), nullable=False, index=True),
    Column("list_version_id", ForeignKey("list_versions.id"), nullable=True),
    Column("source", String(20), nullable=False),
    Column("source_id", String(100), nullable=True),
    Column("content", Text, nullable=False),
    Column("village", String(100), nullable=False, server_default=""),
    Column("address", Text, nullable=False, server_default=""),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("reporter_name", String(100), nullable=False, server_default=""),
    Column("reporter_phone", String(50), nullable=False, server_default=""),
    Column("received_at", DateTime, nullable=False, index=True),
    Column("deadline", DateTime, nullable=False),
    Column("deadline_from_source", Boolean, nullable=False, server_default="0"),
    Column("deadline_provisional", Boolean, nullable=False, server_default="0"),
    Column("state", String(20), nullable=False, index=True),
    Column("suggested_verdict", String(20), nullable=False),
    Column("suggested_item", String(20), nullable=True),
    Column("suggested_assignee", String(200), nullable=False),
    Column("confidence", Float, nullable=True),
    Column("routing_status", String(20), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("item_key", String(20), nullable=True, index=True),
    Column("item_name", Text, nullable=False, server_default=""),
    Column("category", String(200), nullable=False, server_default=""),
    Column("responsible", String(200), nullable=False),
    Column("responsible_kind", String(20), nullable=False),
    Column("notice", Text, nullable=False, server_default=""),
    Column("assignee", String(200), nullable=True, index=True),
    Column("assignee_kind", String(20), nullable=True),
    Column("send_backs", Integer, nullable=False, server_default="0"),
    Column("merged_into", ForeignKey("work_orders.id"), nullable=True, index=True),
    Column("reply", Text, nullable=False, server_default=""),
    Column("replied_at", DateTime, nullable=True),
    Column("satisfaction", String(20), nullable=True),
    Column("resolved_at", DateTime, nullable=True),
    Column("visited_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("source", "source_id"),
)

order_events = Table(
    "order_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", ForeignKey("work_orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("action", String(20), nullable=True),
    Column("from_state", String(20), nullable=True),
    Column("to_state", String(20), nullable=True),
    Column("before", Text, nullable=False, server_default=""),
    Column("after", Text, nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
)
"""An order's history: created, every action (from, to), routing corrections, notes, merges."""

order_attachments = Table(
    "order_attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", ForeignKey("work_orders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("stored_name", String(200), nullable=False, unique=True),
    Column("file_name", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
)

# ---- list change proposals (变更提案) ----

list_proposals = Table(
    "list_proposals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("township_id", ForeignKey("townships.id"), nullable=False, index=True),
    Column("base_version_id", ForeignKey("list_versions.id"), nullable=False),
    Column("change", String(10), nullable=False),
    Column("item_key", String(20), nullable=True),
    Column("target_kind", String(10), nullable=True),
    Column("fields", JSON, nullable=False),
    Column("before", JSON, nullable=True),
    Column("item_name", Text, nullable=False, server_default=""),
    Column("reason", Text, nullable=False),
    Column("state", String(20), nullable=False, index=True),
    Column("proposed_by", String(100), nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("reviewed_by", String(100), nullable=True),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("review_comment", Text, nullable=False, server_default=""),
    Column("published_version_id", ForeignKey("list_versions.id"), nullable=True, index=True),
    Column("result_key", String(20), nullable=True),
)
"""A change to one township's list: proposed against ``base_version_id`` with a reason, reviewed,
then published into ``published_version_id``; ``before`` is the item as the proposer saw it."""

proposal_events = Table(
    "proposal_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "proposal_id", ForeignKey("list_proposals.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(20), nullable=False),
    Column("from_state", String(20), nullable=True),
    Column("to_state", String(20), nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
)

# ---- accounts and the audit log ----

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(50), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("role", String(20), nullable=False),
    Column("township", String(100), nullable=True),
    Column("department", String(200), nullable=True),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("must_change_password", Boolean, nullable=False, server_default="0"),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("session_epoch", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
)
"""A person or a system account; ``session_epoch`` grows on disable, reset and password change, so
every cookie and token issued before stops working."""

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)
"""Bearer tokens and API keys: only the SHA-256 of the secret is kept (it has 256 random bits)."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(100), nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("entity", String(50), nullable=False, index=True),
    Column("entity_id", String(50), nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
)
"""Every write (who, when, which table and row, before and after), captured where statements run;
append-only like ``review_audit`` (triggers refuse UPDATE and DELETE)."""
