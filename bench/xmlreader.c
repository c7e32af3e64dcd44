/* The reference for libxml2's own speed: streams accounting.xml (as written by
 * bench/generate.py) with xmlTextReader and extracts what rules-xml.yaml maps of each
 * Transaction: TransactionID, Status, Amount and its currency attribute. Prints the number of
 * transactions and a checksum over the extracted bytes, so that nothing is optimized away.
 *
 *     cc -O2 -o xmlreader bench/xmlreader.c $(pkg-config --cflags --libs libxml-2.0)
 *     ./xmlreader accounting.xml
 */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <string.h>

enum field { NONE, ID, STATUS, AMOUNT };

static unsigned long mix(unsigned long h, const xmlChar *s) {
    if (s == NULL) return h;
    for (; *s; s++) h = h * 31 + *s;
    return h;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: xmlreader FILE\n");
        return 2;
    }
    xmlTextReaderPtr reader = xmlReaderForFile(argv[1], NULL, XML_PARSE_NONET | XML_PARSE_COMPACT);
    if (reader == NULL) {
        fprintf(stderr, "%s: cannot open\n", argv[1]);
        return 1;
    }
    unsigned long count = 0, sum = 0;
    int inside = 0;
    enum field current = NONE;
    int rc;
    while ((rc = xmlTextReaderRead(reader)) == 1) {
        int type = xmlTextReaderNodeType(reader);
        if (type == XML_READER_TYPE_ELEMENT) {
            const xmlChar *name = xmlTextReaderConstLocalName(reader);
            current = NONE;
            if (xmlStrEqual(name, BAD_CAST "Transaction")) {
                inside = 1;
            } else if (inside && xmlStrEqual(name, BAD_CAST "TransactionID")) {
                current = ID;
            } else if (inside && xmlStrEqual(name, BAD_CAST "Status")) {
                current = STATUS;
            } else if (inside && xmlStrEqual(name, BAD_CAST "Amount")) {
                current = AMOUNT;
                xmlChar *currency = xmlTextReaderGetAttribute(reader, BAD_CAST "currency");
                sum = mix(sum, currency);
                xmlFree(currency);
            }
        } else if (type == XML_READER_TYPE_TEXT && current != NONE) {
            sum = mix(sum, xmlTextReaderConstValue(reader));
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            current = NONE;
            if (xmlStrEqual(xmlTextReaderConstLocalName(reader), BAD_CAST "Transaction")) {
                inside = 0;
                count++;
            }
        }
    }
    xmlFreeTextReader(reader);
    if (rc != 0) {
        fprintf(stderr, "%s: parse error\n", argv[1]);
        return 1;
    }
    printf("%lu transactions (checksum %lx)\n", count, sum);
    return 0;
}
