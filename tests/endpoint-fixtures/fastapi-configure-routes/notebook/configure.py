def configure_routes(app):
    from notebook.routers.pages import pages
    from notebook.routers.notes import notes

    app.include_router(notes, prefix="/api/notes")
    app.include_router(pages)
