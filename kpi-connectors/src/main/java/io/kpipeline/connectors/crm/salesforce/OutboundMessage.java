package io.kpipeline.connectors.crm.salesforce;

import io.kpipeline.connectors.webhook.WebhookException;
import io.kpipeline.schemas.event.InvalidEventException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Salesforce outbound message read from its SOAP envelope: the organization id and each notification's id,
 * record type ({@code xsi:type="sf:Opportunity"}) and fields. The parser refuses DOCTYPEs, so no entity expansion
 * or external entity ever runs on a request body.
 */
record OutboundMessage(String organizationId, List<Notification> notifications) {
    static final String OUTBOUND_NS = "http://soap.sforce.com/2005/09/outbound";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    /** One notification: its id (kept by Salesforce across retries), the record's type and fields, and its XML. */
    record Notification(String id, String objectType, Map<String, String> fields, String raw) {
        String field(String name) {
            return fields.get(name);
        }

        String required(String name) {
            String v = fields.get(name);
            if (v == null) {
                throw new InvalidEventException("MISSING_FIELD", "Salesforce " + objectType + " notification " + id + " without field '" + name
                        + "' (add it to the outbound message's fields)");
            }
            return v;
        }
    }

    static OutboundMessage parse(byte[] body) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw WebhookException.malformed("body is not XML: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        NodeList roots = doc.getElementsByTagNameNS(OUTBOUND_NS, "notifications");
        if (roots.getLength() != 1) {
            throw WebhookException.malformed("not a Salesforce outbound message: no <notifications> element in namespace " + OUTBOUND_NS);
        }
        Element root = (Element) roots.item(0);
        String org = null;
        List<Notification> notifications = new ArrayList<>();
        for (Element child : children(root)) {
            if ("OrganizationId".equals(child.getLocalName())) {
                org = SalesforceWebhook.text(child);
            } else if ("Notification".equals(child.getLocalName())) {
                notifications.add(notification(child));
            }
        }
        return new OutboundMessage(org, notifications);
    }

    private static Notification notification(Element n) {
        String id = null;
        Element sObject = null;
        for (Element child : children(n)) {
            if ("Id".equals(child.getLocalName())) {
                id = SalesforceWebhook.text(child);
            } else if ("sObject".equals(child.getLocalName())) {
                sObject = child;
            }
        }
        if (id == null || sObject == null) {
            throw WebhookException.malformed("a Notification without Id or sObject");
        }
        String type = sObject.getAttributeNS(XSI, "type");
        type = type.substring(type.indexOf(':') + 1);
        Map<String, String> fields = new HashMap<>();
        for (Element field : children(sObject)) {
            if (!"true".equals(field.getAttributeNS(XSI, "nil"))) {
                String value = SalesforceWebhook.text(field);
                if (value != null) {
                    fields.put(field.getLocalName(), value);
                }
            }
        }
        return new Notification(id, type, fields, xml(n));
    }

    private static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element el) {
                out.add(el);
            }
        }
        return out;
    }

    private static String xml(Node node) {
        try {
            StringWriter out = new StringWriter();
            var tf = TransformerFactory.newInstance().newTransformer();
            tf.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            tf.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            return node.getTextContent();
        }
    }
}
