"""Domain actions on the catalogue's pictures: product photos, clue photos with their marks, brand logos and the
photos of known counterfeits. The authoring pages, the API and the importer call these, never the models.

Same conventions as ``catalog.services``: the access policy first (``PermissionDenied``, before a byte of the file
is read), then validation (``ValidationError`` with translated messages keyed by field), then the write in one
transaction, with a revision of the sheet. Pictures are decoded and re-encoded *before* the transaction opens
(seconds of CPU must not hold the database's write lock), and the files written are deleted again if the action
fails, so a refused upload leaves nothing behind. Files a change replaces are deleted once it commits.
"""

import hashlib
import json
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ipm.access import policy
from ipm.accounts.models import User
from ipm.catalog import media
from ipm.catalog.models import Brand, Clue, CounterfeitVariant, PhotoView, Product, ProductPhoto
from ipm.catalog.services import _after_change, _editable, record_revision, snapshot, validate_language

MAX_PHOTOS_PER_PRODUCT = 30
MAX_MARKS = 10
CAPTION_MAX_LENGTH = 200
MARK_KEYS = ("x", "y", "w", "h")
KEEP = object()  # "leave this picture as it is", distinct from None ("remove it")


def _record(actor: User, product: Product, before: dict, summary: str, *, changed: bool = False) -> None:
    """A revision when the sheet's snapshot changed — or when something outside the snapshot did (captions,
    marks, counterfeit photos), which the history must still show."""
    if changed and snapshot(product) == before:
        record_revision(product, actor, summary, before)
    else:
        _after_change(actor, product, before, summary)


def _save_pictures(instance, fields: list[str]) -> None:
    """Save only the picture fields, and only while the record still exists (its row locked meanwhile): a clue or
    logo someone else removed a moment ago must not come back to life with the new picture."""
    if not type(instance)._base_manager.select_for_update().filter(pk=instance.pk).exists():
        raise ValidationError(_("Someone else removed this meanwhile; nothing was changed."))
    instance.save(update_fields=fields)


# --- Product photos ---------------------------------------------------------------------------------------------


def _clean_view(view: str) -> str:
    if view not in PhotoView.values:
        raise ValidationError({"view": _("Unknown kind of view.")})
    return view


def _clean_caption(caption: str | None) -> str:
    caption = (caption or "").strip()
    if len(caption) > CAPTION_MAX_LENGTH:
        raise ValidationError(
            {"caption": _("A caption has at most %(count)d characters.") % {"count": CAPTION_MAX_LENGTH}}
        )
    return caption


def add_product_photo(
    actor: User,
    product: Product,
    upload,
    *,
    view: str = PhotoView.FRONT,
    caption: str = "",
    language: str | None = None,
) -> ProductPhoto:
    """Add a photo at the end of the sheet's photos. ``upload``: an uploaded file, a binary file or bytes;
    ``caption`` is written in ``language`` (default: the sheet's source language)."""
    _editable(actor, product)
    view = _clean_view(view)
    caption = _clean_caption(caption)
    language = validate_language(language or product.source_language)
    if product.photos.count() >= MAX_PHOTOS_PER_PRODUCT:
        raise ValidationError({"image": _("A sheet has at most %(count)d photos.") % {"count": MAX_PHOTOS_PER_PRODUCT}})
    data = media.read_upload(upload, "image")
    processed = media.process_upload(data, "image")
    # The hash of what was given lets an import recognise this picture and not add it a second time.
    photo = ProductPhoto(product=product, view=view, source_sha256=hashlib.sha256(data).hexdigest())
    with media.files_removed_on_error(photo.image.storage) as written, transaction.atomic():
        before = snapshot(product)
        photo.position = (product.photos.aggregate(last=Max("position"))["last"] or 0) + 1
        media.attach(photo.image, processed, written)
        photo.set_current_language(language)
        photo.caption = caption
        photo.save()
        _record(actor, product, before, _("Photo added"))
    return photo


@transaction.atomic
def remove_product_photo(actor: User, photo: ProductPhoto) -> None:
    """Remove a photo; its files (original and thumbnails) are deleted when the removal commits."""
    product = photo.product
    _editable(actor, product)
    before = snapshot(product)
    photo.delete()  # the files follow through media's post_delete receiver
    _record(actor, product, before, _("Photo removed"))


@transaction.atomic
def update_product_photo(
    actor: User,
    photo: ProductPhoto,
    *,
    view: str | None = None,
    caption: str | None = None,
    language: str | None = None,
) -> ProductPhoto:
    """Change a photo's view or its caption in ``language`` (default: the sheet's source language)."""
    product = photo.product
    _editable(actor, product)
    before = snapshot(product)
    changed = False
    if view is not None:
        photo.view = _clean_view(view)
    if caption is not None:
        caption = _clean_caption(caption)
        language = validate_language(language or product.source_language)
        changed = photo.safe_translation_getter("caption", language_code=language, default="") != caption
        photo.set_current_language(language)
        photo.caption = caption
    photo.save()
    _record(actor, product, before, _("Photo changed"), changed=changed)
    return photo


@transaction.atomic
def reorder_product_photos(actor: User, product: Product, photo_ids: list[int]) -> list[ProductPhoto]:
    """Put the sheet's photos in the given order (the first is the one officers see first). The list must name
    each of the sheet's photos exactly once, so a stale page cannot lose or duplicate a position."""
    _editable(actor, product)
    photos = {photo.pk: photo for photo in product.photos.all()}
    try:
        ordered_ids = [int(pk) for pk in photo_ids]
    except (TypeError, ValueError) as error:
        raise ValidationError({"photos": _("The new order names photos that are not on this sheet.")}) from error
    if sorted(ordered_ids) != sorted(photos):
        raise ValidationError({"photos": _("The new order must name each photo of the sheet once.")})
    before = snapshot(product)
    for position, pk in enumerate(ordered_ids, start=1):
        photos[pk].position = position
    ProductPhoto.objects.bulk_update(photos.values(), ["position"])
    _record(actor, product, before, _("Photos reordered"))
    return [photos[pk] for pk in ordered_ids]


# --- Clue photos and marks --------------------------------------------------------------------------------------


def validate_marks(value, field: str = "marks") -> list[dict]:
    """Rectangles to highlight on a photo: a list (or its JSON text) of at most ``MAX_MARKS`` objects
    ``{"x", "y", "w", "h"}``, fractions of the picture's width and height, each wholly inside the picture."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise ValidationError({field: _("The marks could not be read.")}) from error
    if not isinstance(value, list | tuple):
        raise ValidationError({field: _("The marks could not be read.")})
    if len(value) > MAX_MARKS:
        raise ValidationError({field: _("A photo has at most %(count)d marks.") % {"count": MAX_MARKS}})
    return [_clean_mark(mark, field) for mark in value]


def _clean_mark(mark, field: str) -> dict:
    bad = ValidationError(
        {field: _("Each mark is a rectangle inside the photo: x, y, width and height as fractions from 0 to 1.")}
    )
    if not isinstance(mark, dict) or set(mark) != set(MARK_KEYS):
        raise bad
    values = {}
    for key in MARK_KEYS:
        number = mark[key]
        if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
            raise bad
        values[key] = round(float(number), 4)
    x, y, w, h = (values[key] for key in MARK_KEYS)
    tolerance = 1e-3  # rounding in a browser's drawing code must not refuse a mark drawn to the edge
    if not (0 <= x <= 1 and 0 <= y <= 1 and w > 0 and h > 0 and x + w <= 1 + tolerance and y + h <= 1 + tolerance):
        raise bad
    values["w"], values["h"] = min(w, round(1 - x, 4)), min(h, round(1 - y, 4))
    return values


def _set_clue_side(clue: Clue, side: str, image, marks, written: list[str]) -> bool:
    """Apply one side (genuine or counterfeit) of ``set_clue_images``, already validated; returns whether anything
    changed. New files (photo, thumbnails, crops) are stored now, those no longer used deleted after commit."""
    field_file = getattr(clue, f"{side}_image")
    storage = field_file.storage
    old_name, old_marks = field_file.name or "", media.stored_marks(getattr(clue, f"{side}_marks"))
    if image is None:
        setattr(clue, f"{side}_image", "")
    elif image is not KEEP:
        media.attach(field_file, image, written)
    new_name = getattr(clue, f"{side}_image").name or ""
    if marks is None:  # not given: kept on the same photo, cleared with a new or no photo
        marks = old_marks if new_name == old_name else []
    setattr(clue, f"{side}_marks", marks)
    fresh = image.data if isinstance(image, media.ProcessedImage) else None  # spares reading it back
    try:
        crops = media.store_mark_crops(storage, new_name, marks, written, fresh) if new_name else []
    except OSError as error:  # the stored photo is gone or unreadable: ask for it again rather than fail
        raise ValidationError({f"{side}_image": _("The photo could not be read back; upload it again.")}) from error
    if old_name and old_name != new_name:
        media.delete_after_commit(storage, media.derived_names(old_name, old_marks))
    elif old_name:
        stale = set(media.mark_crop_names(old_name, old_marks)) - set(crops)
        media.delete_after_commit(storage, sorted(stale))
    return old_name != new_name or old_marks != marks


def set_clue_images(
    actor: User,
    clue: Clue,
    *,
    genuine_image=KEEP,
    counterfeit_image=KEEP,
    genuine_marks: list | str | None = None,
    counterfeit_marks: list | str | None = None,
) -> Clue:
    """Set the genuine and counterfeit photos of a clue and the rectangles that point at the detail.

    An image argument left out keeps the photo, ``None`` removes it, an upload replaces it. Marks left out
    (``None``) are kept while the photo stays and cleared when it changes — rectangles drawn on one photo mean
    nothing on another. Each mark also gets an annotated, zoomed crop stored beside the photo."""
    product = clue.product
    _editable(actor, product)
    marks = {
        "genuine": None if genuine_marks is None else validate_marks(genuine_marks, "genuine_marks"),
        "counterfeit": None if counterfeit_marks is None else validate_marks(counterfeit_marks, "counterfeit_marks"),
    }
    uploads = {"genuine": genuine_image, "counterfeit": counterfeit_image}
    for side, upload in uploads.items():
        keeps_a_photo = upload is not None and (upload is not KEEP or bool(getattr(clue, f"{side}_image")))
        if marks[side] and not keeps_a_photo:
            raise ValidationError({f"{side}_marks": _("Marks need a photo to be drawn on.")})
    images, hashes = {}, {}
    for side, upload in uploads.items():
        if upload is KEEP or upload is None:
            images[side] = upload
            continue
        data = media.read_upload(upload, f"{side}_image")
        images[side] = media.process_upload(data, f"{side}_image")
        hashes[side] = hashlib.sha256(data).hexdigest()  # lets an import recognise the picture (see importing)
    with media.files_removed_on_error(clue.genuine_image.storage) as written, transaction.atomic():
        before = snapshot(product)
        changed = [_set_clue_side(clue, side, images[side], marks[side], written) for side in images]
        for side, image in images.items():
            if image is not KEEP:
                setattr(clue, f"{side}_source_sha256", hashes.get(side))
        _save_pictures(
            clue,
            [
                "genuine_image",
                "counterfeit_image",
                "genuine_marks",
                "counterfeit_marks",
                "genuine_source_sha256",
                "counterfeit_source_sha256",
            ],
        )
        _record(actor, product, before, _("Clue photos changed"), changed=any(changed))
    return clue


# --- Brand logos and counterfeit photos -------------------------------------------------------------------------


def _replace_picture(field_file, upload: media.ProcessedImage | None, written: list[str]) -> None:
    """Point ``field_file`` at a new picture (an already processed one) or at none, deleting the old files after
    commit."""
    old_name = field_file.name or ""
    instance = field_file.instance
    if upload is None:
        setattr(instance, field_file.field.attname, "")
    else:
        media.attach(field_file, upload, written)
    if old_name:
        media.delete_after_commit(field_file.storage, media.derived_names(old_name))


def set_brand_logo(actor: User, brand: Brand, upload) -> Brand:
    """Set (an upload) or remove (``None``) a brand's logo. A transparent logo is flattened on white."""
    if not policy.editable_brands(actor).filter(pk=brand.pk).exists():
        raise PermissionDenied
    processed = None if upload is None else media.process_upload(upload, "logo")
    with media.files_removed_on_error(brand.logo.storage) as written, transaction.atomic():
        _replace_picture(brand.logo, processed, written)
        _save_pictures(brand, ["logo", "updated_at"])
    return brand


def set_variant_photo(actor: User, variant: CounterfeitVariant, upload) -> CounterfeitVariant:
    """Set (an upload) or remove (``None``) the photo of a known counterfeit."""
    product = variant.product
    _editable(actor, product)
    processed = None if upload is None else media.process_upload(upload, "photo")
    with media.files_removed_on_error(variant.photo.storage) as written, transaction.atomic():
        before = snapshot(product)
        _replace_picture(variant.photo, processed, written)
        _save_pictures(variant, ["photo"])
        _record(actor, product, before, _("Photo of a known counterfeit changed"), changed=True)
    return variant
