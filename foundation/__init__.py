"""The bottom layer: infrastructure every app shares and no app owns.

Editing with a version check, spreadsheets, uploads, the extension registry (navigation, dashboard
panels, template hooks). Nothing here imports a product app; every product app may import this.
"""
