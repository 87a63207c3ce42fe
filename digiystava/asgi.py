"""ASGI entry point for uvicorn: ``uvicorn digiystava.asgi:app``."""

from digiystava.app import create_app

app = create_app()
