INSERT INTO jr_document_role_order VALUES (?, ?);
