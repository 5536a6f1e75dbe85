"""The blocks a lesson is written with: text, pictures, video and handouts."""

import posixpath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

# Formats phone browsers play in a <video> element; MP4 (H.264) is the one that plays everywhere.
VIDEO_EXTENSIONS = {"mp4", "m4v", "webm"}
PREVIEW_TEMPLATE = "blocks/block_preview.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        preview_template = PREVIEW_TEMPLATE
        template = "blocks/image_block.html"
        label = _("Image")
        description = _("A picture, with an optional caption below it")
        preview_value = {"caption": "云浮沙糖桔果园"}


class VideoEmbedBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("video address"),
        help_text=_("The address of the video's page, e.g. https://www.bilibili.com/video/BV…"),
        max_width=960,
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        preview_template = PREVIEW_TEMPLATE
        template = "blocks/video_embed_block.html"
        label = _("Online video")
        description = _("A video hosted on a video site, shown in the lesson")
        preview_value = {"caption": "直播带货实操演示"}


class VideoFileBlock(blocks.StructBlock):
    """A video uploaded to the document library, for when no video site is suitable."""

    video = DocumentChooserBlock(
        label=_("video file"),
        help_text=_("An MP4 or WebM file uploaded to Documents"),
    )
    # Shown until the trainee presses play: the video itself loads only then.
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        preview_template = PREVIEW_TEMPLATE
        template = "blocks/video_file_block.html"
        label = _("Uploaded video")
        description = _("A video file played in the page")
        preview_value = {"caption": "商品拍摄：自然光下拍沙糖桔"}

    def clean(self, value):
        value = super().clean(value)
        document = value.get("video")
        if document is not None:
            extension = posixpath.splitext(document.file.name)[1].lstrip(".").lower()
            if extension not in VIDEO_EXTENSIONS:
                raise StructBlockValidationError(
                    block_errors={
                        "video": ValidationError(
                            _("Choose a video file (%(formats)s)."),
                            params={"formats": ", ".join(sorted(VIDEO_EXTENSIONS))},
                        )
                    }
                )
        return value


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("link text"),
        required=False,
        max_length=100,
        help_text=_("Leave blank to use the document's title"),
    )

    class Meta:
        icon = "doc-full"
        preview_template = PREVIEW_TEMPLATE
        template = "blocks/download_block.html"
        label = _("Download")
        description = _("A handout, worksheet or template trainees can download")
        preview_value = {"label": "网店开店资料清单"}


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_template=PREVIEW_TEMPLATE,
        description=_("Headings, paragraphs and lists"),
        preview_value="<p>选好一款有特色的本地农产品，是开网店的第一步。</p>",
    )
    image = ImageWithCaptionBlock()
    video_embed = VideoEmbedBlock()
    video_file = VideoFileBlock()
    download = DownloadBlock()
