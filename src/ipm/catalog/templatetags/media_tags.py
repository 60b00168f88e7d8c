"""Template filters for the catalogue's pictures: ``{% load media_tags %}``, then
``{{ photo.image|thumbnail_url:480 }}`` for a thumbnail and ``{{ clue.genuine_image|mark_crop_url:mark }}`` for
the annotated crop of one mark. Pages should always ask for the size they show: a phone on a slow link at a border
post should not download a 2560-pixel original to draw a 160-pixel tile."""

from django import template

from ipm.catalog import media

register = template.Library()


@register.filter
def thumbnail_url(field_file, size):
    return media.thumbnail_url(field_file, size)


@register.filter
def mark_crop_url(field_file, mark):
    return media.mark_crop_url(field_file, mark)
