"""PDFs (placeholder until the renderer lands)."""


def credential_pdfs_render(*, credential_id: int) -> None:
    return None
