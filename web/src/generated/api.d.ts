/**
 * Generated from the server's /openapi.json by `npm run gen:api-types` (scripts/gen-api-types.ts).
 * Do not edit: change the route's schema and regenerate. test/api-types.test.ts fails when this
 * file and the server disagree.
 */

/** OneOf type helpers */
type Without<T, U> = { [P in Exclude<keyof T, keyof U>]?: never };
type XOR<T, U> = (T | U) extends object ? (Without<T, U> & U) | (Without<U, T> & T) : T | U;
type OneOf<T extends any[]> = T extends [infer Only] ? Only : T extends [infer A, infer B, ...infer Rest] ? OneOf<[XOR<A, B>, ...Rest]> : never;

export type paths = {
  "/api/alerts": {
    /** List alerts, newest first (non-admins: alerts of their teams) */
    get: {
      parameters: {
        query?: {
          status?: "firing" | "acknowledged" | "resolved";
          severity?: "critical" | "error" | "warning" | "info";
          integrationId?: string;
          teamId?: string;
          limit?: number;
          cursor?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alerts: ({
                  acknowledgedAt: string | null;
                  acknowledgedBy: string | null;
                  dedupKey: string;
                  description: string | null;
                  firstSeenAt: string;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  integrationId: string;
                  integrationName: string;
                  labels: {
                    [key: string]: string;
                  };
                  lastSeenAt: string;
                  links: {
                      href: string;
                      text?: string;
                    }[];
                  occurrenceCount: number;
                  resolvedAt: string | null;
                  resolvedBy: string | null;
                  /** @enum {string} */
                  severity: "critical" | "error" | "warning" | "info";
                  source: string | null;
                  /** @enum {string} */
                  status: "firing" | "acknowledged" | "resolved";
                  suppressedBy: ({
                    id: string;
                    /** @enum {string} */
                    kind: "silence" | "maintenance" | "inhibition";
                    sourceAlertId?: string;
                  }) | null;
                  teamId: string | null;
                  teamIds: string[];
                  title: string;
                })[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
  };
  "/api/alerts/{id}": {
    /** One alert with its occurrence history (newest first), its incidents, team names and latest stored payload */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              dedupKey: string;
              description: string | null;
              firstSeenAt: string;
              /** Format: uuid */
              id: string;
              incidents: ({
                  /** Format: uuid */
                  id: string;
                  number: number;
                  /** @enum {string} */
                  status: "triggered" | "acknowledged" | "resolved";
                  /** Format: uuid */
                  teamId: string;
                  title: string;
                })[];
              /** Format: uuid */
              integrationId: string;
              integrationName: string;
              labels: {
                [key: string]: string;
              };
              lastSeenAt: string;
              links: {
                  href: string;
                  text?: string;
                }[];
              occurrenceCount: number;
              occurrences: ({
                  deliveryId: string | null;
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  kind: "created" | "deduplicated" | "acknowledged" | "resolved" | "ignored";
                  occurredAt: string;
                  userId: string | null;
                })[];
              payload: ({
                /** @description The parsed body (or {truncated, sizeBytes} when only its first part was kept) */
                body: unknown;
                /** Format: uuid */
                deliveryId: string;
                receivedAt: string;
                /** @description The body as it arrived, keys in the order sent, secrets redacted */
                text: string;
                /** @description Set when text is only the first part of the body: the size received, in bytes */
                truncatedFrom: number | null;
              }) | null;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              source: string | null;
              /** @enum {string} */
              status: "firing" | "acknowledged" | "resolved";
              suppressedBy: ({
                id: string;
                /** @enum {string} */
                kind: "silence" | "maintenance" | "inhibition";
                sourceAlertId?: string;
              }) | null;
              teamId: string | null;
              teamIds: string[];
              teams: {
                  /** Format: uuid */
                  id: string;
                  name: string;
                }[];
              title: string;
            };
          };
        };
      };
    };
  };
  "/api/alerts/{id}/acknowledge": {
    /** Acknowledge an alert */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              dedupKey: string;
              description: string | null;
              firstSeenAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string;
              integrationName: string;
              labels: {
                [key: string]: string;
              };
              lastSeenAt: string;
              links: {
                  href: string;
                  text?: string;
                }[];
              occurrenceCount: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              source: string | null;
              /** @enum {string} */
              status: "firing" | "acknowledged" | "resolved";
              suppressedBy: ({
                id: string;
                /** @enum {string} */
                kind: "silence" | "maintenance" | "inhibition";
                sourceAlertId?: string;
              }) | null;
              teamId: string | null;
              teamIds: string[];
              title: string;
            };
          };
        };
      };
    };
  };
  "/api/alerts/{id}/reroute": {
    /** Route one open alert again under the current rules */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              dedupKey: string;
              description: string | null;
              firstSeenAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string;
              integrationName: string;
              labels: {
                [key: string]: string;
              };
              lastSeenAt: string;
              links: {
                  href: string;
                  text?: string;
                }[];
              occurrenceCount: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              routing: {
                defaultTeamUsed: boolean;
                evaluated: {
                    /** @description The first matcher that did not hold */
                    failedMatcher?: {
                      field: string;
                      index: number;
                      op: string;
                    };
                    matched: boolean;
                    position: number;
                    /** Format: uuid */
                    ruleId: string;
                    ruleName: string;
                  }[];
                matched: {
                    /** Format: uuid */
                    ruleId: string;
                    ruleName: string;
                    /** Format: uuid */
                    teamId: string;
                  }[];
                teamIds: string[];
                teams: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                  }[];
              };
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              source: string | null;
              /** @enum {string} */
              status: "firing" | "acknowledged" | "resolved";
              suppressedBy: ({
                id: string;
                /** @enum {string} */
                kind: "silence" | "maintenance" | "inhibition";
                sourceAlertId?: string;
              }) | null;
              teamId: string | null;
              teamIds: string[];
              title: string;
            };
          };
        };
      };
    };
  };
  "/api/alerts/{id}/resolve": {
    /** Resolve an alert */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              dedupKey: string;
              description: string | null;
              firstSeenAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string;
              integrationName: string;
              labels: {
                [key: string]: string;
              };
              lastSeenAt: string;
              links: {
                  href: string;
                  text?: string;
                }[];
              occurrenceCount: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              source: string | null;
              /** @enum {string} */
              status: "firing" | "acknowledged" | "resolved";
              suppressedBy: ({
                id: string;
                /** @enum {string} */
                kind: "silence" | "maintenance" | "inhibition";
                sourceAlertId?: string;
              }) | null;
              teamId: string | null;
              teamIds: string[];
              title: string;
            };
          };
        };
      };
    };
  };
  "/api/alerts/{id}/trace": {
    /** Why was (or was not) anyone paged: every decision about the alert, in order */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              alertId: string;
              entries: ({
                  at: string;
                  kind: string;
                  message: string;
                  refs: {
                    [key: string]: string | string[];
                  };
                })[];
              status: string;
              suppressedBy: {
                id: string;
                kind: string;
                sourceAlertId?: string;
              } | null;
            };
          };
        };
      };
    };
  };
  "/api/api-keys": {
    /** List API keys: your own, or all for a platform admin */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              apiKeys: ({
                  createdAt: string;
                  expiresAt: string | null;
                  /** Format: uuid */
                  id: string;
                  keyPrefix: string;
                  lastUsedAt: string | null;
                  name: string;
                  revokedAt: string | null;
                  /** @enum {string} */
                  scope: "read" | "write";
                  /** Format: uuid */
                  teamId: string | null;
                  /** Format: uuid */
                  userId: string;
                })[];
            };
          };
        };
      };
    };
    /** Create an API key (the key is shown only in this response) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: date-time
             * @description The key stops working at this instant (in the future); default: never
             */
            expiresAt?: string;
            name: string;
            /**
             * @description `read`: GET requests only (403 on anything else); `write` (default): whatever the owner may do
             * @enum {string}
             */
            scope?: "read" | "write";
            /**
             * Format: uuid
             * @description Limits the key to this team's resources; the owner must belong to the team
             */
            teamId?: string;
            /** Format: uuid */
            userId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              expiresAt: string | null;
              /** Format: uuid */
              id: string;
              key: string;
              keyPrefix: string;
              lastUsedAt: string | null;
              name: string;
              revokedAt: string | null;
              /** @enum {string} */
              scope: "read" | "write";
              /** Format: uuid */
              teamId: string | null;
              /** Format: uuid */
              userId: string;
            };
          };
        };
      };
    };
  };
  "/api/api-keys/{id}": {
    /** Revoke an API key at once */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/audit-logs": {
    /** The audit trail, newest first */
    get: {
      parameters: {
        query?: {
          action?: string;
          resourceType?: string;
          resourceId?: string;
          userId?: string;
          limit?: number;
          cursor?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              entries: ({
                  action: string;
                  createdAt: string;
                  /** Format: uuid */
                  id: string;
                  metadata: {
                    [key: string]: unknown;
                  };
                  resourceId: string | null;
                  resourceType: string;
                  /** @enum {string} */
                  severity: "INFO" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
                  userId: string | null;
                })[];
              /** @description Display names of the people, teams, integrations, schedules and policies the entries mention, by id */
              names: {
                [key: string]: string;
              };
              nextCursor: string | null;
            };
          };
        };
      };
    };
  };
  "/api/audit-logs/filters": {
    /** What the audit trail can be filtered by: its actions, resource types and actors */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              actions: string[];
              actors: ({
                  email: string;
                  /** Format: uuid */
                  id: string;
                  name: string | null;
                })[];
              resourceTypes: string[];
            };
          };
        };
      };
    };
  };
  "/api/auth/login": {
    /** Sign in with email and password; sets the HTTP-only session cookie */
    post: {
      requestBody: {
        content: {
          "application/json": {
            email: string;
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              authMethod: "session" | "api-key";
              csrfToken: string | null;
              email: string;
              /** Format: uuid */
              id: string;
              isPlatformAdmin: boolean;
              name: string | null;
              sessionExpiresAt: string | null;
            };
          };
        };
      };
    };
  };
  "/api/auth/logout": {
    /** End the console session and clear its cookie */
    post: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/auth/me": {
    /** Who is signed in (session cookie or API key) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              authMethod: "session" | "api-key";
              csrfToken: string | null;
              email: string;
              /** Format: uuid */
              id: string;
              isPlatformAdmin: boolean;
              name: string | null;
              sessionExpiresAt: string | null;
            };
          };
        };
      };
    };
  };
  "/api/auth/methods": {
    /** How one may sign in: whether single sign-on is offered, and whether passwords are refused */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              sso: boolean;
              ssoLoginUrl: string | null;
              ssoOnly: boolean;
            };
          };
        };
      };
    };
  };
  "/api/auth/oidc/callback": {
    /** The OpenID provider's redirect back: validates state and ID token, provisions the user, sets the session cookie, redirects to the console */
    get: {
      parameters: {
        query?: {
          code?: string;
          state?: string;
          iss?: string;
          error?: string;
          error_description?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/auth/oidc/login": {
    /** Start single sign-on: redirects to the OpenID provider (authorization code flow with PKCE) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/auth/password-links/{token}": {
    /** Whose account a password link is for (404 unknown, 410 used or expired) */
    get: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              email: string;
              expiresAt: string;
              /** @enum {string} */
              purpose: "invite" | "reset";
            };
          };
        };
      };
    };
    /** Set the password with a link; the link is used up and the user's sessions end */
    post: {
      parameters: {
        path: {
          token: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/backups": {
    /** A consistent backup of the embedded database (gzipped tar); 409 on PostgreSQL (use pg_dump) */
    post: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/config": {
    /** Export the configuration as a klaxon.yaml document (JSON) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/config/apply": {
    /** Apply a klaxon.yaml document: the changes, made or (dryRun) planned */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description Klaxon configuration as code (klaxon.yaml) */
            document: {
              escalationPolicies?: ({
                  /** @default null */
                  ackTimeoutMinutes?: number | null;
                  /** @default null */
                  description?: string | null;
                  /** @default false */
                  isDefault?: boolean;
                  levels: ({
                      delayMinutes: number;
                      targets: ({
                          /** @description A user, by email address */
                          user: string;
                        } | {
                          /** @description A schedule of the policy's team */
                          schedule: string;
                        } | {
                          /** @description Everyone on the policy's team */
                          team: string;
                        } | {
                          /** @description The policy's team's chat channel (Slack) */
                          teamChannel: string;
                        })[];
                    })[];
                  name: string;
                  /** @default 0 */
                  repeatCount?: number;
                  team: string;
                })[];
              integrations?: ({
                  deduplicationWindowMinutes?: number;
                  /** @default true */
                  isActive?: boolean;
                  name: string;
                  /** @description Absent: the server's default */
                  rateLimitPerMinute?: number;
                  /** @enum {string} */
                  signatureAlgorithm?: "sha256" | "sha512";
                  /** @enum {string} */
                  signatureFormat?: "hex" | "base64";
                  signatureHeader?: string;
                  signaturePrefix?: string;
                  /** @enum {string} */
                  signatureScheme?: "hmac" | "standard-webhooks" | "token";
                  /**
                   * @description The team that takes alerts no routing rule matches
                   * @default null
                   */
                  team?: string | null;
                  /** @enum {string} */
                  type: "datadog" | "newrelic" | "pagerduty" | "generic" | "alertmanager" | "grafana";
                })[];
              /** @description In evaluation order */
              routingRules?: ({
                  /** @default false */
                  continue?: boolean;
                  /**
                   * @description Scope the rule to one integration; null: all
                   * @default null
                   */
                  integration?: string | null;
                  /** @default true */
                  isActive?: boolean;
                  /** @default [] */
                  matchers?: OneOf<[{
                      field: string;
                      /** @enum {string} */
                      op: "equals";
                      value: string;
                    }, {
                      field: string;
                      /** @enum {string} */
                      op: "not_equals";
                      value: string;
                    }, {
                      field: string;
                      /** @enum {string} */
                      op: "regex";
                      value: string;
                    }, {
                      field: string;
                      /** @enum {string} */
                      op: "in";
                      value: string[];
                    }, {
                      field: string;
                      /** @enum {string} */
                      op: "exists";
                      /** @description false: the field must be absent (default true) */
                      value?: boolean;
                    }]>[];
                  name: string;
                  team: string;
                })[];
              schedules?: ({
                  /** @default null */
                  description?: string | null;
                  /**
                   * @description Lowest first
                   * @default []
                   */
                  layers?: ({
                      /**
                       * Format: date-time
                       * @description ISO 8601 instant, e.g. 2026-01-05T09:00:00Z
                       * @default null
                       */
                      endsAt?: string | null;
                      /** @default null */
                      handoffTime?: string | null;
                      /** @default null */
                      handoffWeekday?: number | null;
                      name: string;
                      /** @description In rotation order; members of the team */
                      participants: string[];
                      /** @default [] */
                      restrictions?: {
                          days?: number[];
                          end: string;
                          start: string;
                        }[];
                      /**
                       * Format: date-time
                       * @description ISO 8601 instant, e.g. 2026-01-05T09:00:00Z
                       */
                      startsAt: string;
                      /**
                       * @description null: the schedule's
                       * @default null
                       */
                      timeZone?: string | null;
                      turnLength: number;
                      /** @enum {string} */
                      turnUnit: "hours" | "days" | "weeks";
                    })[];
                  name: string;
                  team: string;
                  /** @description IANA time zone, e.g. Europe/Berlin */
                  timeZone: string;
                })[];
              teams?: ({
                  /** @default null */
                  description?: string | null;
                  /**
                   * @description The team's exact membership
                   * @default []
                   */
                  members?: ({
                      /** @description A user, by email address */
                      email: string;
                      /**
                       * @default member
                       * @enum {string}
                       */
                      role?: "member" | "manager";
                    })[];
                  name: string;
                })[];
              /**
               * @description The format of this file
               * @enum {number}
               */
              version: 1;
            };
            /**
             * @description Only compute the changes
             * @default false
             */
            dryRun?: boolean;
            /**
             * @description Delete what the document does not name, of the kinds it names
             * @default false
             */
            prune?: boolean;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              applied: boolean;
              changes: ({
                  /** @enum {string} */
                  action: "create" | "update" | "delete" | "reorder";
                  fields?: string[];
                  /** @enum {string} */
                  kind: "teams" | "integrations" | "routingRules" | "schedules" | "escalationPolicies" | "users";
                  name: string;
                })[];
              /** @description Secrets of the integrations created: shown this once */
              secrets: {
                  integration: string;
                  standardWebhooksSecret?: string;
                  webhookSecret: string;
                }[];
            };
          };
        };
      };
    };
  };
  "/api/contact-methods": {
    /** List contact methods */
    get: {
      parameters: {
        query?: {
          userId?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              contactMethods: ({
                  address: string;
                  createdAt: string;
                  /** Format: uuid */
                  id: string;
                  label: string | null;
                  /** @enum {string} */
                  type: "email" | "slack" | "webhook" | "sms" | "voice" | "ntfy" | "mattermost" | "msteams" | "webpush";
                  /** Format: uuid */
                  userId: string;
                  verified: boolean;
                })[];
            };
          };
        };
      };
    };
    /** Add a contact method (webhooks: the signing secret is shown once; sms and voice: a verification code is sent) */
    post: {
      requestBody: {
        content: {
          "application/json": OneOf<[{
            /** Format: email */
            address: string;
            label?: string | null;
            /** @enum {string} */
            type: "email";
            /** Format: uuid */
            userId?: string;
          }, {
            /**
             * Format: uri
             * @description The webhook URL (Slack or Mattermost incoming webhook, Teams Workflows webhook)
             */
            address: string;
            label?: string | null;
            /** @enum {string} */
            type: "slack" | "webhook" | "mattermost" | "msteams";
            /** Format: uuid */
            userId?: string;
          }, {
            /** @description An ntfy access token (tk_…); never shown again */
            accessToken?: string;
            label?: string | null;
            /**
             * Format: uri
             * @description The ntfy server; KLAXON_NTFY_DEFAULT_SERVER when omitted
             */
            server?: string;
            topic: string;
            /** @enum {string} */
            type: "ntfy";
            /** Format: uuid */
            userId?: string;
          }, {
            address: string;
            label?: string | null;
            /** @enum {string} */
            type: "sms" | "voice";
            /** Format: uuid */
            userId?: string;
          }]>;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              address: string;
              createdAt: string;
              /** Format: uuid */
              id: string;
              label: string | null;
              signingSecret?: string;
              /** @enum {string} */
              type: "email" | "slack" | "webhook" | "sms" | "voice" | "ntfy" | "mattermost" | "msteams" | "webpush";
              /** Format: uuid */
              userId: string;
              verification?: {
                detail: string | null;
                /** @enum {string} */
                outcome: "sent" | "transient_failure" | "permanent_failure";
              };
              verified: boolean;
            };
          };
        };
      };
    };
  };
  "/api/contact-methods/{id}": {
    /** Delete a contact method (and its rules) */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/contact-methods/{id}/test": {
    /** Send a test notification now */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              detail: string | null;
              /** @enum {string} */
              outcome: "sent" | "transient_failure" | "permanent_failure";
            };
          };
        };
      };
    };
  };
  "/api/contact-methods/{id}/verify": {
    /** Verify a phone contact method with the code it received */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            code: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              address: string;
              createdAt: string;
              /** Format: uuid */
              id: string;
              label: string | null;
              /** @enum {string} */
              type: "email" | "slack" | "webhook" | "sms" | "voice" | "ntfy" | "mattermost" | "msteams" | "webpush";
              /** Format: uuid */
              userId: string;
              verified: boolean;
            };
          };
        };
      };
    };
  };
  "/api/contact-methods/{id}/verify/resend": {
    /** Send a new verification code (at most every 30 s) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        202: {
          content: {
            "application/json": {
              expiresInMinutes: number;
            };
          };
        };
      };
    };
  };
  "/api/escalation-policies": {
    /** List escalation policies of your teams */
    get: {
      parameters: {
        query?: {
          teamId?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              policies: ({
                  ackTimeoutMinutes: number | null;
                  createdAt: string;
                  description: string | null;
                  /** Format: uuid */
                  id: string;
                  isDefault: boolean;
                  levels: ({
                      delayMinutes: number;
                      targets: ({
                          id: string;
                          /** @enum {string} */
                          type: "user" | "schedule" | "team" | "team_channel";
                        })[];
                    })[];
                  name: string;
                  repeatCount: number;
                  /** Format: uuid */
                  teamId: string;
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create an escalation policy */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * @description An acknowledged incident still open this many minutes later is triggered again; null: never
             * @default null
             */
            ackTimeoutMinutes?: number | null;
            description?: string | null;
            /** @default false */
            isDefault?: boolean;
            levels: {
                delayMinutes: number;
                targets: OneOf<[{
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "user";
                  }, {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "schedule";
                  }, {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "team";
                  }, {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "team_channel";
                  }]>[];
              }[];
            name: string;
            /** @default 0 */
            repeatCount?: number;
            /** Format: uuid */
            teamId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              ackTimeoutMinutes: number | null;
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              isDefault: boolean;
              levels: ({
                  delayMinutes: number;
                  targets: ({
                      id: string;
                      /** @enum {string} */
                      type: "user" | "schedule" | "team" | "team_channel";
                    })[];
                })[];
              name: string;
              repeatCount: number;
              /** Format: uuid */
              teamId: string;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/escalation-policies/{id}": {
    /** Get one escalation policy */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              ackTimeoutMinutes: number | null;
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              isDefault: boolean;
              levels: ({
                  delayMinutes: number;
                  targets: ({
                      id: string;
                      /** @enum {string} */
                      type: "user" | "schedule" | "team" | "team_channel";
                    })[];
                })[];
              name: string;
              repeatCount: number;
              /** Format: uuid */
              teamId: string;
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Delete an escalation policy */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change an escalation policy (levels are replaced whole) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description An acknowledged incident still open this many minutes later is triggered again; null: never */
            ackTimeoutMinutes?: number | null;
            description?: string | null;
            isDefault?: boolean;
            levels?: {
                delayMinutes: number;
                targets: OneOf<[{
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "user";
                  }, {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "schedule";
                  }, {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "team";
                  }, {
                    /** Format: uuid */
                    id: string;
                    /** @enum {string} */
                    type: "team_channel";
                  }]>[];
              }[];
            name?: string;
            repeatCount?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              ackTimeoutMinutes: number | null;
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              isDefault: boolean;
              levels: ({
                  delayMinutes: number;
                  targets: ({
                      id: string;
                      /** @enum {string} */
                      type: "user" | "schedule" | "team" | "team_channel";
                    })[];
                })[];
              name: string;
              repeatCount: number;
              /** Format: uuid */
              teamId: string;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/event-rules": {
    /** List event rules in the order they apply */
    get: {
      parameters: {
        query?: {
          integrationId?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              rules: ({
                  actions: {
                    [key: string]: unknown;
                  };
                  /** Format: date-time */
                  createdAt: string;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  integrationId: string | null;
                  isActive: boolean;
                  matchers: {
                      field: string;
                      op: string;
                      value?: unknown;
                    }[];
                  name: string;
                  position: number;
                  /** Format: date-time */
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create an event rule */
    post: {
      requestBody: {
        content: {
          "application/json": {
            actions: {
              dedupKey?: string;
              /** @description Record the delivery, keep no alert */
              drop?: boolean;
              removeLabels?: string[];
              setLabels?: {
                [key: string]: string;
              };
              /** @enum {string} */
              severity?: "critical" | "error" | "warning" | "info";
              /** @description Store and route the alert, open no incident */
              suppress?: boolean;
              title?: string;
            };
            /**
             * Format: uuid
             * @description Scope the rule to one integration; null: global
             */
            integrationId?: string | null;
            /** @default true */
            isActive?: boolean;
            /** @default [] */
            matchers?: OneOf<[{
                field: string;
                /** @enum {string} */
                op: "equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "not_equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "regex";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "in";
                value: string[];
              }, {
                field: string;
                /** @enum {string} */
                op: "exists";
                /** @description false: the field must be absent (default true) */
                value?: boolean;
              }]>[];
            name: string;
            /** @description Default: after the last rule */
            position?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              actions: {
                [key: string]: unknown;
              };
              /** Format: date-time */
              createdAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              isActive: boolean;
              matchers: {
                  field: string;
                  op: string;
                  value?: unknown;
                }[];
              name: string;
              position: number;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/event-rules/{id}": {
    /** Get one event rule */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              actions: {
                [key: string]: unknown;
              };
              /** Format: date-time */
              createdAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              isActive: boolean;
              matchers: {
                  field: string;
                  op: string;
                  value?: unknown;
                }[];
              name: string;
              position: number;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Delete an event rule */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change an event rule */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            actions?: {
              dedupKey?: string;
              /** @description Record the delivery, keep no alert */
              drop?: boolean;
              removeLabels?: string[];
              setLabels?: {
                [key: string]: string;
              };
              /** @enum {string} */
              severity?: "critical" | "error" | "warning" | "info";
              /** @description Store and route the alert, open no incident */
              suppress?: boolean;
              title?: string;
            };
            /** Format: uuid */
            integrationId?: string | null;
            isActive?: boolean;
            matchers?: OneOf<[{
                field: string;
                /** @enum {string} */
                op: "equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "not_equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "regex";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "in";
                value: string[];
              }, {
                field: string;
                /** @enum {string} */
                op: "exists";
                /** @description false: the field must be absent (default true) */
                value?: boolean;
              }]>[];
            name?: string;
            position?: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              actions: {
                [key: string]: unknown;
              };
              /** Format: date-time */
              createdAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              isActive: boolean;
              matchers: {
                  field: string;
                  op: string;
                  value?: unknown;
                }[];
              name: string;
              position: number;
              /** Format: date-time */
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/event-rules/dry-run": {
    /** Show each active rule's effect on a sample payload (stores nothing) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: uuid
             * @description The sample is normalized as this integration’s type would be
             */
            integrationId: string;
            /** @description A sample body as the sender would post it */
            payload: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alerts: ({
                  /** @description null: dropped */
                  after: {
                    [key: string]: unknown;
                  } | null;
                  before: {
                    [key: string]: unknown;
                  };
                  rules: {
                      changes: {
                        [key: string]: unknown;
                      };
                      matched: boolean;
                      /** Format: uuid */
                      ruleId: string;
                    }[];
                })[];
            };
          };
        };
      };
    };
  };
  "/api/events/stream": {
    /**
     * Server-Sent Events: which topics (alerts, deliveries, incidents) changed
     * @description text/event-stream. Each message is `data: {"topic": …}` with topic `alerts`, `deliveries`, `incidents`, `ready` (after every connection) or `resync` (refetch everything). Non-admins hear only of their teams; deliveries are for platform admins. 406 without `Accept: text/event-stream`; 429 when a user already has too many streams open.
     */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/heartbeats": {
    /** List heartbeats of your teams */
    get: {
      parameters: {
        query?: {
          teamId?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              heartbeats: ({
                  /** Format: uuid */
                  alertId: string | null;
                  /** Format: date-time */
                  createdAt: string;
                  description: string | null;
                  /**
                   * Format: date-time
                   * @description Missed unless pinged by then (interval + grace)
                   */
                  expectedBy: string | null;
                  graceSeconds: number;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  integrationId: string | null;
                  intervalSeconds: number;
                  isActive: boolean;
                  /** Format: date-time */
                  lastPingAt: string | null;
                  /** Format: date-time */
                  missedAt: string | null;
                  name: string;
                  /** @enum {string} */
                  severity: "critical" | "error" | "warning" | "info";
                  /**
                   * @description down: missed, its alert is open until the next ping
                   * @enum {string}
                   */
                  status: "up" | "down" | "paused";
                  /** Format: uuid */
                  teamId: string;
                  tokenPrefix: string;
                  /** Format: date-time */
                  updatedAt: string;
                  watchdog: {
                    /** Format: uuid */
                    integrationId: string;
                    matchers: {
                        field: string;
                        op: string;
                        value?: unknown;
                      }[];
                  } | null;
                })[];
            };
          };
        };
      };
    };
    /** Create a heartbeat; the answer carries its ping URL once */
    post: {
      requestBody: {
        content: {
          "application/json": {
            description?: string | null;
            /** @default 60 */
            graceSeconds?: number;
            /**
             * Format: uuid
             * @description The missed alert goes through this integration's routing; null: to the heartbeat's team
             */
            integrationId?: string | null;
            intervalSeconds: number;
            /** @default true */
            isActive?: boolean;
            name: string;
            /**
             * @default critical
             * @enum {string}
             */
            severity?: "critical" | "error" | "warning" | "info";
            /** Format: uuid */
            teamId: string;
            /** @description Alerts of this integration matching every matcher count as pings and are not stored (admins only) */
            watchdog?: {
              /** Format: uuid */
              integrationId: string;
              /** @description e.g. [{field: "labels.alertname", op: "equals", value: "Watchdog"}]; at least one */
              matchers: OneOf<[{
                  field: string;
                  /** @enum {string} */
                  op: "equals";
                  value: string;
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "not_equals";
                  value: string;
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "regex";
                  value: string;
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "in";
                  value: string[];
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "exists";
                  /** @description false: the field must be absent (default true) */
                  value?: boolean;
                }]>[];
            } | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              alertId: string | null;
              /** Format: date-time */
              createdAt: string;
              description: string | null;
              /**
               * Format: date-time
               * @description Missed unless pinged by then (interval + grace)
               */
              expectedBy: string | null;
              graceSeconds: number;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              intervalSeconds: number;
              isActive: boolean;
              /** Format: date-time */
              lastPingAt: string | null;
              /** Format: date-time */
              missedAt: string | null;
              name: string;
              /** @description POST or GET; the token is also accepted in the X-Heartbeat-Token header */
              pingUrl: string;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /**
               * @description down: missed, its alert is open until the next ping
               * @enum {string}
               */
              status: "up" | "down" | "paused";
              /** Format: uuid */
              teamId: string;
              /** @description Shown this once */
              token: string;
              tokenPrefix: string;
              /** Format: date-time */
              updatedAt: string;
              warning: string;
              watchdog: {
                /** Format: uuid */
                integrationId: string;
                matchers: {
                    field: string;
                    op: string;
                    value?: unknown;
                  }[];
              } | null;
            };
          };
        };
      };
    };
  };
  "/api/heartbeats/{id}": {
    /** Get one heartbeat */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              alertId: string | null;
              /** Format: date-time */
              createdAt: string;
              description: string | null;
              /**
               * Format: date-time
               * @description Missed unless pinged by then (interval + grace)
               */
              expectedBy: string | null;
              graceSeconds: number;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              intervalSeconds: number;
              isActive: boolean;
              /** Format: date-time */
              lastPingAt: string | null;
              /** Format: date-time */
              missedAt: string | null;
              name: string;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /**
               * @description down: missed, its alert is open until the next ping
               * @enum {string}
               */
              status: "up" | "down" | "paused";
              /** Format: uuid */
              teamId: string;
              tokenPrefix: string;
              /** Format: date-time */
              updatedAt: string;
              watchdog: {
                /** Format: uuid */
                integrationId: string;
                matchers: {
                    field: string;
                    op: string;
                    value?: unknown;
                  }[];
              } | null;
            };
          };
        };
      };
    };
    /** Delete a heartbeat */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change a heartbeat */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            description?: string | null;
            graceSeconds?: number;
            /** Format: uuid */
            integrationId?: string | null;
            intervalSeconds?: number;
            isActive?: boolean;
            name?: string;
            /** @enum {string} */
            severity?: "critical" | "error" | "warning" | "info";
            /** @description Alerts of this integration matching every matcher count as pings and are not stored (admins only) */
            watchdog?: {
              /** Format: uuid */
              integrationId: string;
              /** @description e.g. [{field: "labels.alertname", op: "equals", value: "Watchdog"}]; at least one */
              matchers: OneOf<[{
                  field: string;
                  /** @enum {string} */
                  op: "equals";
                  value: string;
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "not_equals";
                  value: string;
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "regex";
                  value: string;
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "in";
                  value: string[];
                }, {
                  field: string;
                  /** @enum {string} */
                  op: "exists";
                  /** @description false: the field must be absent (default true) */
                  value?: boolean;
                }]>[];
            } | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              alertId: string | null;
              /** Format: date-time */
              createdAt: string;
              description: string | null;
              /**
               * Format: date-time
               * @description Missed unless pinged by then (interval + grace)
               */
              expectedBy: string | null;
              graceSeconds: number;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              intervalSeconds: number;
              isActive: boolean;
              /** Format: date-time */
              lastPingAt: string | null;
              /** Format: date-time */
              missedAt: string | null;
              name: string;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /**
               * @description down: missed, its alert is open until the next ping
               * @enum {string}
               */
              status: "up" | "down" | "paused";
              /** Format: uuid */
              teamId: string;
              tokenPrefix: string;
              /** Format: date-time */
              updatedAt: string;
              watchdog: {
                /** Format: uuid */
                integrationId: string;
                matchers: {
                    field: string;
                    op: string;
                    value?: unknown;
                  }[];
              } | null;
            };
          };
        };
      };
    };
  };
  "/api/heartbeats/{id}/rotate-token": {
    /** Replace the ping token (the old one stops working at once) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** Format: uuid */
              alertId: string | null;
              /** Format: date-time */
              createdAt: string;
              description: string | null;
              /**
               * Format: date-time
               * @description Missed unless pinged by then (interval + grace)
               */
              expectedBy: string | null;
              graceSeconds: number;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              intervalSeconds: number;
              isActive: boolean;
              /** Format: date-time */
              lastPingAt: string | null;
              /** Format: date-time */
              missedAt: string | null;
              name: string;
              /** @description POST or GET; the token is also accepted in the X-Heartbeat-Token header */
              pingUrl: string;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /**
               * @description down: missed, its alert is open until the next ping
               * @enum {string}
               */
              status: "up" | "down" | "paused";
              /** Format: uuid */
              teamId: string;
              /** @description Shown this once */
              token: string;
              tokenPrefix: string;
              /** Format: date-time */
              updatedAt: string;
              warning: string;
              watchdog: {
                /** Format: uuid */
                integrationId: string;
                matchers: {
                    field: string;
                    op: string;
                    value?: unknown;
                  }[];
              } | null;
            };
          };
        };
      };
    };
  };
  "/api/heartbeats/ping": {
    /** Ping a heartbeat (token in the x-heartbeat-token header) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "up";
            };
          };
        };
      };
    };
    /** Ping a heartbeat (token in the x-heartbeat-token header) */
    post: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "up";
            };
          };
        };
      };
    };
  };
  "/api/heartbeats/ping/{token}": {
    /** Ping a heartbeat (token in the path) */
    get: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "up";
            };
          };
        };
      };
    };
    /** Ping a heartbeat (token in the path) */
    post: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "up";
            };
          };
        };
      };
    };
  };
  "/api/ical-feeds/{id}": {
    /** Revoke a calendar feed: its URL stops working at once */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/incidents": {
    /** List incidents, newest first (non-admins: incidents of their teams) */
    get: {
      parameters: {
        query?: {
          status?: "triggered" | "acknowledged" | "resolved";
          teamId?: string;
          limit?: number;
          cursor?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              incidents: ({
                  acknowledgedAt: string | null;
                  acknowledgedBy: string | null;
                  /** @description When the acknowledgement runs out and the incident triggers again */
                  ackTimeoutAt: string | null;
                  alertCount: number;
                  assigneeUserId: string | null;
                  createdAt: string;
                  escalationLevel: number | null;
                  escalationPolicyId: string | null;
                  escalationRepetition: number;
                  groupKey: string | null;
                  /** Format: uuid */
                  id: string;
                  lastAlertAt: string;
                  nextEscalationAt: string | null;
                  number: number;
                  resolvedAt: string | null;
                  resolvedBy: string | null;
                  /** @enum {string} */
                  severity: "critical" | "error" | "warning" | "info";
                  /** @enum {string} */
                  status: "triggered" | "acknowledged" | "resolved";
                  /** Format: uuid */
                  teamId: string;
                  title: string;
                  /** @enum {string} */
                  urgency: "high" | "low";
                })[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
  };
  "/api/incidents/{id}": {
    /** One incident with its alerts and timeline */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              /** @description When the acknowledgement runs out and the incident triggers again */
              ackTimeoutAt: string | null;
              alertCount: number;
              alerts: ({
                  addedAt: string;
                  /** Format: uuid */
                  id: string;
                  integrationName: string;
                  labels: {
                    [key: string]: string;
                  };
                  /** @enum {string} */
                  severity: "critical" | "error" | "warning" | "info";
                  /** @enum {string} */
                  status: "firing" | "acknowledged" | "resolved";
                  title: string;
                })[];
              assigneeUserId: string | null;
              createdAt: string;
              escalationLevel: number | null;
              escalationPolicyId: string | null;
              escalationRepetition: number;
              groupKey: string | null;
              /** Format: uuid */
              id: string;
              lastAlertAt: string;
              nextEscalationAt: string | null;
              number: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /** @enum {string} */
              status: "triggered" | "acknowledged" | "resolved";
              /** Format: uuid */
              teamId: string;
              timeline: ({
                  createdAt: string;
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  kind: "opened" | "alert_joined" | "alert_resolved" | "escalated" | "nobody_on_call" | "target_skipped" | "no_contact_method" | "escalation_exhausted" | "no_escalation_policy" | "paging_deferred" | "not_paged_outside_support_hours" | "notification_sent" | "notification_failed" | "acknowledged" | "acknowledgement_timeout" | "resolved" | "note" | "reassigned";
                  message: string;
                  metadata: {
                    [key: string]: unknown;
                  };
                  userId: string | null;
                })[];
              title: string;
              /** @enum {string} */
              urgency: "high" | "low";
            };
          };
        };
      };
    };
  };
  "/api/incidents/{id}/acknowledge": {
    /** Acknowledge an incident and its alerts; pending escalation stops */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              /** @description When the acknowledgement runs out and the incident triggers again */
              ackTimeoutAt: string | null;
              alertCount: number;
              assigneeUserId: string | null;
              createdAt: string;
              escalationLevel: number | null;
              escalationPolicyId: string | null;
              escalationRepetition: number;
              groupKey: string | null;
              /** Format: uuid */
              id: string;
              lastAlertAt: string;
              nextEscalationAt: string | null;
              number: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /** @enum {string} */
              status: "triggered" | "acknowledged" | "resolved";
              /** Format: uuid */
              teamId: string;
              title: string;
              /** @enum {string} */
              urgency: "high" | "low";
            };
          };
        };
      };
    };
  };
  "/api/incidents/{id}/notes": {
    /** Add a note to the timeline */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            text: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              /** @description When the acknowledgement runs out and the incident triggers again */
              ackTimeoutAt: string | null;
              alertCount: number;
              assigneeUserId: string | null;
              createdAt: string;
              escalationLevel: number | null;
              escalationPolicyId: string | null;
              escalationRepetition: number;
              groupKey: string | null;
              /** Format: uuid */
              id: string;
              lastAlertAt: string;
              nextEscalationAt: string | null;
              number: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /** @enum {string} */
              status: "triggered" | "acknowledged" | "resolved";
              /** Format: uuid */
              teamId: string;
              title: string;
              /** @enum {string} */
              urgency: "high" | "low";
            };
          };
        };
      };
    };
  };
  "/api/incidents/{id}/reassign": {
    /** Assign the incident to someone (paged at once while it is triggered) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: uuid */
            userId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              /** @description When the acknowledgement runs out and the incident triggers again */
              ackTimeoutAt: string | null;
              alertCount: number;
              assigneeUserId: string | null;
              createdAt: string;
              escalationLevel: number | null;
              escalationPolicyId: string | null;
              escalationRepetition: number;
              groupKey: string | null;
              /** Format: uuid */
              id: string;
              lastAlertAt: string;
              nextEscalationAt: string | null;
              number: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /** @enum {string} */
              status: "triggered" | "acknowledged" | "resolved";
              /** Format: uuid */
              teamId: string;
              title: string;
              /** @enum {string} */
              urgency: "high" | "low";
            };
          };
        };
      };
    };
  };
  "/api/incidents/{id}/resolve": {
    /** Resolve an incident and its alerts; pending escalation stops */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              acknowledgedAt: string | null;
              acknowledgedBy: string | null;
              /** @description When the acknowledgement runs out and the incident triggers again */
              ackTimeoutAt: string | null;
              alertCount: number;
              assigneeUserId: string | null;
              createdAt: string;
              escalationLevel: number | null;
              escalationPolicyId: string | null;
              escalationRepetition: number;
              groupKey: string | null;
              /** Format: uuid */
              id: string;
              lastAlertAt: string;
              nextEscalationAt: string | null;
              number: number;
              resolvedAt: string | null;
              resolvedBy: string | null;
              /** @enum {string} */
              severity: "critical" | "error" | "warning" | "info";
              /** @enum {string} */
              status: "triggered" | "acknowledged" | "resolved";
              /** Format: uuid */
              teamId: string;
              title: string;
              /** @enum {string} */
              urgency: "high" | "low";
            };
          };
        };
      };
    };
  };
  "/api/incidents/actions/{token}": {
    /** What a notification link would do: a confirmation page (changes nothing) */
    get: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Acknowledge or resolve from a notification link (the confirmation page posts here) */
    post: {
      parameters: {
        path: {
          token: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/inhibition-rules": {
    /** List inhibition rules */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              rules: {
                  createdAt: string;
                  equal: string[];
                  /** Format: uuid */
                  id: string;
                  isActive: boolean;
                  name: string;
                  sourceMatchers: {
                      isEqual: boolean;
                      isRegex: boolean;
                      name: string;
                      value: string;
                    }[];
                  targetMatchers: {
                      isEqual: boolean;
                      isRegex: boolean;
                      name: string;
                      value: string;
                    }[];
                  updatedAt: string;
                }[];
            };
          };
        };
      };
    };
    /** Create an inhibition rule */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @default [] */
            equal?: string[];
            /** @default true */
            isActive?: boolean;
            name: string;
            sourceMatchers: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
            targetMatchers: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              equal: string[];
              /** Format: uuid */
              id: string;
              isActive: boolean;
              name: string;
              sourceMatchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              targetMatchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/inhibition-rules/{id}": {
    /** Get an inhibition rule */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              equal: string[];
              /** Format: uuid */
              id: string;
              isActive: boolean;
              name: string;
              sourceMatchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              targetMatchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Delete an inhibition rule */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change an inhibition rule */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            equal?: string[];
            isActive?: boolean;
            name?: string;
            sourceMatchers?: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
            targetMatchers?: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              equal: string[];
              /** Format: uuid */
              id: string;
              isActive: boolean;
              name: string;
              sourceMatchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              targetMatchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/integrations": {
    /** List integrations, newest first */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              integrations: ({
                  alertCount: number;
                  createdAt: string;
                  deduplicationWindowMinutes: number;
                  /** Format: uuid */
                  defaultTeamId: string | null;
                  /** Format: uuid */
                  id: string;
                  isActive: boolean;
                  name: string;
                  rateLimitPerMinute: number;
                  secretPrefix: string;
                  /** @enum {string} */
                  signatureAlgorithm: "sha256" | "sha512";
                  /** @enum {string} */
                  signatureFormat: "hex" | "base64";
                  signatureHeader: string;
                  signaturePrefix: string;
                  /** @enum {string} */
                  signatureScheme: "hmac" | "standard-webhooks" | "token";
                  /** @enum {string} */
                  type: "datadog" | "newrelic" | "pagerduty" | "generic" | "alertmanager" | "grafana";
                  updatedAt: string;
                  webhookCount: number;
                })[];
            };
          };
        };
      };
    };
    /** Create an integration (its webhookSecret is shown only in this response) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            deduplicationWindowMinutes?: number;
            /** Format: uuid */
            defaultTeamId?: string | null;
            name: string;
            rateLimitPerMinute?: number;
            /** @enum {string} */
            signatureAlgorithm?: "sha256" | "sha512";
            /** @enum {string} */
            signatureFormat?: "hex" | "base64";
            signatureHeader?: string;
            signaturePrefix?: string;
            /** @enum {string} */
            signatureScheme?: "hmac" | "standard-webhooks" | "token";
            /** @enum {string} */
            type: "datadog" | "newrelic" | "pagerduty" | "generic" | "alertmanager" | "grafana";
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              alertCount: number;
              createdAt: string;
              deduplicationWindowMinutes: number;
              /** Format: uuid */
              defaultTeamId: string | null;
              /** Format: uuid */
              id: string;
              isActive: boolean;
              name: string;
              rateLimitPerMinute: number;
              secretPrefix: string;
              /** @enum {string} */
              signatureAlgorithm: "sha256" | "sha512";
              /** @enum {string} */
              signatureFormat: "hex" | "base64";
              signatureHeader: string;
              signaturePrefix: string;
              /** @enum {string} */
              signatureScheme: "hmac" | "standard-webhooks" | "token";
              standardWebhooksSecret?: string;
              /** @enum {string} */
              type: "datadog" | "newrelic" | "pagerduty" | "generic" | "alertmanager" | "grafana";
              updatedAt: string;
              warning: string;
              webhook_url: string;
              webhookCount: number;
              webhookSecret: string;
            };
          };
        };
      };
    };
  };
  "/api/integrations/{id}": {
    /** Get one integration */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alertCount: number;
              createdAt: string;
              deduplicationWindowMinutes: number;
              /** Format: uuid */
              defaultTeamId: string | null;
              /** Format: uuid */
              id: string;
              isActive: boolean;
              name: string;
              rateLimitPerMinute: number;
              secretPrefix: string;
              /** @enum {string} */
              signatureAlgorithm: "sha256" | "sha512";
              /** @enum {string} */
              signatureFormat: "hex" | "base64";
              signatureHeader: string;
              signaturePrefix: string;
              /** @enum {string} */
              signatureScheme: "hmac" | "standard-webhooks" | "token";
              /** @enum {string} */
              type: "datadog" | "newrelic" | "pagerduty" | "generic" | "alertmanager" | "grafana";
              updatedAt: string;
              webhookCount: number;
            };
          };
        };
      };
    };
    /** Delete an integration; its alerts and deliveries stay readable */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Update name, signature settings, dedup window, rate limit, isActive or defaultTeamId */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            deduplicationWindowMinutes?: number;
            /** Format: uuid */
            defaultTeamId?: string | null;
            isActive?: boolean;
            name?: string;
            rateLimitPerMinute?: number | null;
            /** @enum {string} */
            signatureAlgorithm?: "sha256" | "sha512";
            /** @enum {string} */
            signatureFormat?: "hex" | "base64";
            signatureHeader?: string;
            signaturePrefix?: string;
            /** @enum {string} */
            signatureScheme?: "hmac" | "standard-webhooks" | "token";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alertCount: number;
              createdAt: string;
              deduplicationWindowMinutes: number;
              /** Format: uuid */
              defaultTeamId: string | null;
              /** Format: uuid */
              id: string;
              isActive: boolean;
              name: string;
              rateLimitPerMinute: number;
              secretPrefix: string;
              /** @enum {string} */
              signatureAlgorithm: "sha256" | "sha512";
              /** @enum {string} */
              signatureFormat: "hex" | "base64";
              signatureHeader: string;
              signaturePrefix: string;
              /** @enum {string} */
              signatureScheme: "hmac" | "standard-webhooks" | "token";
              /** @enum {string} */
              type: "datadog" | "newrelic" | "pagerduty" | "generic" | "alertmanager" | "grafana";
              updatedAt: string;
              webhookCount: number;
            };
          };
        };
      };
    };
  };
  "/api/integrations/{id}/deliveries": {
    /** Webhook deliveries of an integration, newest first (accepted and rejected, with reasons) */
    get: {
      parameters: {
        query?: {
          status?: "accepted" | "rejected";
          limit?: number;
          cursor?: string;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              deliveries: ({
                  alertIds: string[];
                  headers: {
                    [key: string]: string;
                  };
                  httpStatus: number;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  integrationId: string;
                  integrationName: string;
                  /** @description Accepted deliveries: the parsed body (or {truncated, sizeBytes} when it was cut). Null when rejected */
                  payload: unknown;
                  /** @description The body as it arrived, keys in the order sent (up to 64 KiB; 4 KiB before the sender was authenticated), the integration's secrets redacted; kept for rejected deliveries too. Null when none was kept */
                  payloadText: string | null;
                  /** @description Set when payloadText is only the first part of the body: the size received, in bytes */
                  payloadTruncatedFrom: number | null;
                  processingMs: number | null;
                  reason: string | null;
                  receivedAt: string;
                  sourceIp: string | null;
                  /** @enum {string} */
                  status: "accepted" | "rejected";
                  userAgent: string | null;
                  webhookId: string | null;
                })[];
              nextCursor: string | null;
            };
          };
        };
      };
    };
  };
  "/api/integrations/{id}/rotate-secret": {
    /** Issue a new webhookSecret; the previous one keeps verifying during the grace period */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @default 0 */
            gracePeriodMinutes?: number;
          } | null;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alertCount: number;
              createdAt: string;
              deduplicationWindowMinutes: number;
              /** Format: uuid */
              defaultTeamId: string | null;
              /** Format: uuid */
              id: string;
              isActive: boolean;
              name: string;
              rateLimitPerMinute: number;
              secretPrefix: string;
              /** @enum {string} */
              signatureAlgorithm: "sha256" | "sha512";
              /** @enum {string} */
              signatureFormat: "hex" | "base64";
              signatureHeader: string;
              signaturePrefix: string;
              /** @enum {string} */
              signatureScheme: "hmac" | "standard-webhooks" | "token";
              standardWebhooksSecret?: string;
              /** @enum {string} */
              type: "datadog" | "newrelic" | "pagerduty" | "generic" | "alertmanager" | "grafana";
              updatedAt: string;
              warning: string;
              webhook_url: string;
              webhookCount: number;
              webhookSecret: string;
            };
          };
        };
      };
    };
  };
  "/api/integrations/{id}/test-alert": {
    /** Send a signed sample alert through the webhook path of this integration */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              deliveryId: string | null;
              httpStatus: number;
              response: unknown;
            };
          };
        };
      };
    };
  };
  "/api/maintenance-windows": {
    /** List maintenance windows, newest first */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              windows: ({
                  createdAt: string;
                  createdByUserId: string | null;
                  endsAt: string | null;
                  /** Format: uuid */
                  id: string;
                  inProgress: {
                    end: string;
                    start: string;
                  } | null;
                  integrationIds: string[];
                  matchers: {
                      isEqual: boolean;
                      isRegex: boolean;
                      name: string;
                      value: string;
                    }[];
                  name: string;
                  openIncidentsOnEnd: boolean;
                  recurrence: {
                    /** @description ISO weekdays: 1 = Monday … 7 = Sunday */
                    days: number[];
                    durationMinutes: number;
                    startTime: string;
                    timeZone: string;
                  } | null;
                  startsAt: string | null;
                  teamIds: string[];
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Plan a maintenance window */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** Format: date-time */
            endsAt?: string;
            /** @default [] */
            integrationIds?: string[];
            /** @default [] */
            matchers?: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
            name: string;
            /** @default false */
            openIncidentsOnEnd?: boolean;
            recurrence?: {
              /** @description ISO weekdays: 1 = Monday … 7 = Sunday */
              days: number[];
              durationMinutes: number;
              startTime: string;
              timeZone: string;
            };
            /** Format: date-time */
            startsAt?: string;
            /** @default [] */
            teamIds?: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              createdByUserId: string | null;
              endsAt: string | null;
              /** Format: uuid */
              id: string;
              inProgress: {
                end: string;
                start: string;
              } | null;
              integrationIds: string[];
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              name: string;
              openIncidentsOnEnd: boolean;
              recurrence: {
                /** @description ISO weekdays: 1 = Monday … 7 = Sunday */
                days: number[];
                durationMinutes: number;
                startTime: string;
                timeZone: string;
              } | null;
              startsAt: string | null;
              teamIds: string[];
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/maintenance-windows/{id}": {
    /** Get a maintenance window */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              createdByUserId: string | null;
              endsAt: string | null;
              /** Format: uuid */
              id: string;
              inProgress: {
                end: string;
                start: string;
              } | null;
              integrationIds: string[];
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              name: string;
              openIncidentsOnEnd: boolean;
              recurrence: {
                /** @description ISO weekdays: 1 = Monday … 7 = Sunday */
                days: number[];
                durationMinutes: number;
                startTime: string;
                timeZone: string;
              } | null;
              startsAt: string | null;
              teamIds: string[];
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Delete a maintenance window */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change a maintenance window (end it now: endsAt = now) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: date-time */
            endsAt?: string | null;
            integrationIds?: string[];
            matchers?: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
            name?: string;
            openIncidentsOnEnd?: boolean;
            recurrence?: {
              /** @description ISO weekdays: 1 = Monday … 7 = Sunday */
              days: number[];
              durationMinutes: number;
              startTime: string;
              timeZone: string;
            } | null;
            /** Format: date-time */
            startsAt?: string | null;
            teamIds?: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              createdByUserId: string | null;
              endsAt: string | null;
              /** Format: uuid */
              id: string;
              inProgress: {
                end: string;
                start: string;
              } | null;
              integrationIds: string[];
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              name: string;
              openIncidentsOnEnd: boolean;
              recurrence: {
                /** @description ISO weekdays: 1 = Monday … 7 = Sunday */
                days: number[];
                durationMinutes: number;
                startTime: string;
                timeZone: string;
              } | null;
              startsAt: string | null;
              teamIds: string[];
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/notification-channels": {
    /** Which contact method channels this server can deliver on (email needs SMTP_URL) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              channels: {
                  configured: boolean;
                  type: string;
                }[];
            };
          };
        };
      };
    };
  };
  "/api/notification-rules": {
    /** List notification rules */
    get: {
      parameters: {
        query?: {
          userId?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              rules: ({
                  /** Format: uuid */
                  contactMethodId: string;
                  createdAt: string;
                  delayMinutes: number;
                  /** Format: uuid */
                  id: string;
                  /** @enum {string} */
                  urgency: "high" | "low" | "any";
                  /** Format: uuid */
                  userId: string;
                })[];
            };
          };
        };
      };
    };
    /** Add a rule: "after delayMinutes, use this contact method" (for incidents of this urgency) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** Format: uuid */
            contactMethodId: string;
            delayMinutes: number;
            /**
             * @default any
             * @enum {string}
             */
            urgency?: "high" | "low" | "any";
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** Format: uuid */
              contactMethodId: string;
              createdAt: string;
              delayMinutes: number;
              /** Format: uuid */
              id: string;
              /** @enum {string} */
              urgency: "high" | "low" | "any";
              /** Format: uuid */
              userId: string;
            };
          };
        };
      };
    };
  };
  "/api/notification-rules/{id}": {
    /** Delete a notification rule */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/notifications": {
    /** Your notification log with every attempt, newest first */
    get: {
      parameters: {
        query?: {
          userId?: string;
          limit?: number;
          cursor?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              nextCursor: string | null;
              notifications: ({
                  attempts: ({
                      attempt: number;
                      createdAt: string;
                      detail: string | null;
                      durationMs: number;
                      /** @enum {string} */
                      outcome: "sent" | "transient_failure" | "permanent_failure";
                    })[];
                  /** Format: uuid */
                  contactMethodId: string;
                  /** @enum {string} */
                  contactMethodType: "email" | "slack" | "webhook" | "sms" | "voice" | "ntfy" | "mattermost" | "msteams" | "webpush";
                  createdAt: string;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  incidentId: string;
                  lastError: string | null;
                  level: number;
                  providerStatus: ({
                    detail: string | null;
                    provider: string;
                    status: string;
                  }) | null;
                  repetition: number;
                  ruleDelayMinutes: number;
                  scheduledAt: string;
                  sentAt: string | null;
                  /** @enum {string} */
                  status: "pending" | "sending" | "sent" | "failed" | "cancelled" | "skipped";
                  /** Format: uuid */
                  userId: string;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/paging-health": {
    /** What would stop a page from reaching a person: unconfigured channels, on-call people without contact methods, schedule gaps (14 days), teams without a default policy, deleted escalation targets */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              checkedAt: string;
              problems: ({
                  /** @description The console page where it is fixed */
                  fixAt: string;
                  /** @enum {string} */
                  kind: "channel-not-configured" | "on-call-without-contact-method" | "schedule-gap" | "no-escalation-policy" | "missing-escalation-target";
                  message: string;
                  /** Format: uuid */
                  teamId: string | null;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/providers/mattermost/actions": {
    /** Mattermost interactive message buttons (Acknowledge, Resolve) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            context: {
              resolveToken?: string;
              token: string;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/slack/commands": {
    /** Slack slash command: /klaxon oncall [team] */
    post: {
      /** @description As Slack sends it: form-encoded; verified by X-Slack-Signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/slack/interactions": {
    /** Slack interactivity (Acknowledge, Resolve, Escalate buttons) */
    post: {
      /** @description As Slack sends it: form-encoded; verified by X-Slack-Signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/sms-gateway/inbound": {
    /** SMS gateway: a reply, as {"id", "from", "text"} with Authorization: Bearer <inbound token> */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/twilio/sms/inbound": {
    /** Twilio callback (sms inbound) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/twilio/sms/status": {
    /** Twilio callback (sms status) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/twilio/voice/gather": {
    /** Twilio callback (voice gather) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/twilio/voice/status": {
    /** Twilio callback (voice status) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/vonage/messages/inbound": {
    /** Vonage callback (messages inbound) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/vonage/messages/status": {
    /** Vonage callback (messages status) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/vonage/voice/event": {
    /** Vonage callback (voice event) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/providers/vonage/voice/input": {
    /** Vonage callback (voice input) */
    post: {
      /** @description As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature */
      requestBody: {
        content: {
          "application/json": unknown;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/push/subscriptions": {
    /** Subscribe this browser (PushSubscription.toJSON()): a webpush contact method of the caller's own */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: uri
             * @description The push service's endpoint of this browser's subscription
             */
            endpoint: string;
            /** @description Ignored: the push service answers 410 when it ends */
            expirationTime?: number | null;
            keys: {
              auth: string;
              p256dh: string;
            };
            /** @description A name for the device */
            label?: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              address: string;
              createdAt: string;
              /** Format: uuid */
              id: string;
              label: string | null;
              /** @enum {string} */
              type: "email" | "slack" | "webhook" | "sms" | "voice" | "ntfy" | "mattermost" | "msteams" | "webpush";
              /** Format: uuid */
              userId: string;
              verified: boolean;
            };
          };
        };
      };
    };
    /** Unsubscribe this browser (one of the caller's own subscriptions, by endpoint) */
    delete: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: uri
             * @description The push service's endpoint of this browser's subscription
             */
            endpoint: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/push/vapid-public-key": {
    /** The server's VAPID public key (base64url), the applicationServerKey browsers subscribe with */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              publicKey: string;
            };
          };
        };
      };
    };
  };
  "/api/routing-rules": {
    /** List routing rules in evaluation order */
    get: {
      parameters: {
        query?: {
          /** @description Only the rules that apply to this integration (global and scoped) */
          integrationId?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              rules: ({
                  continue: boolean;
                  createdAt: string;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  integrationId: string | null;
                  isActive: boolean;
                  matchers: ({
                      field: string;
                      /** @enum {string} */
                      op: "equals" | "not_equals" | "regex" | "in" | "exists";
                      value?: string | string[] | boolean;
                    })[];
                  name: string;
                  position: number;
                  /** Format: uuid */
                  teamId: string;
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create a routing rule */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @default false */
            continue?: boolean;
            /**
             * Format: uuid
             * @description Scope the rule to one integration; null: global
             */
            integrationId?: string | null;
            /** @default true */
            isActive?: boolean;
            /** @default [] */
            matchers?: OneOf<[{
                field: string;
                /** @enum {string} */
                op: "equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "not_equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "regex";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "in";
                value: string[];
              }, {
                field: string;
                /** @enum {string} */
                op: "exists";
                /** @description false: the field must be absent (default true) */
                value?: boolean;
              }]>[];
            name: string;
            /** @description Default: after the last rule */
            position?: number;
            /** Format: uuid */
            teamId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              continue: boolean;
              createdAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              isActive: boolean;
              matchers: ({
                  field: string;
                  /** @enum {string} */
                  op: "equals" | "not_equals" | "regex" | "in" | "exists";
                  value?: string | string[] | boolean;
                })[];
              name: string;
              position: number;
              /** Format: uuid */
              teamId: string;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/routing-rules/{id}": {
    /** Get one routing rule */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              continue: boolean;
              createdAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              isActive: boolean;
              matchers: ({
                  field: string;
                  /** @enum {string} */
                  op: "equals" | "not_equals" | "regex" | "in" | "exists";
                  value?: string | string[] | boolean;
                })[];
              name: string;
              position: number;
              /** Format: uuid */
              teamId: string;
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Delete a routing rule */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Update a routing rule (position moves it) */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            continue?: boolean;
            /** Format: uuid */
            integrationId?: string | null;
            isActive?: boolean;
            matchers?: OneOf<[{
                field: string;
                /** @enum {string} */
                op: "equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "not_equals";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "regex";
                value: string;
              }, {
                field: string;
                /** @enum {string} */
                op: "in";
                value: string[];
              }, {
                field: string;
                /** @enum {string} */
                op: "exists";
                /** @description false: the field must be absent (default true) */
                value?: boolean;
              }]>[];
            name?: string;
            /** @description 1-based; rules at and after it move down one place */
            position?: number;
            /** Format: uuid */
            teamId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              continue: boolean;
              createdAt: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              integrationId: string | null;
              isActive: boolean;
              matchers: ({
                  field: string;
                  /** @enum {string} */
                  op: "equals" | "not_equals" | "regex" | "in" | "exists";
                  value?: string | string[] | boolean;
                })[];
              name: string;
              position: number;
              /** Format: uuid */
              teamId: string;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/routing-rules/reorder": {
    /** Set the order of all routing rules at once */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description Every rule id, in the new order */
            ruleIds: string[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              rules: ({
                  continue: boolean;
                  createdAt: string;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  integrationId: string | null;
                  isActive: boolean;
                  matchers: ({
                      field: string;
                      /** @enum {string} */
                      op: "equals" | "not_equals" | "regex" | "in" | "exists";
                      value?: string | string[] | boolean;
                    })[];
                  name: string;
                  position: number;
                  /** Format: uuid */
                  teamId: string;
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/routing-rules/test": {
    /** Dry-run: which rules match a sample alert or raw payload, and which teams it reaches */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** @description A normalized alert, as the API shows alerts */
            alert?: {
              /** @default {} */
              labels?: {
                [key: string]: string;
              };
              /**
               * @default warning
               * @enum {string}
               */
              severity?: "critical" | "error" | "warning" | "info";
              /** @default null */
              source?: string | null;
              title: string;
            };
            /** Format: uuid */
            integrationId?: string;
            /** @description A raw webhook body, normalized as the integration's type would */
            payload?: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              integration: ({
                /** Format: uuid */
                defaultTeamId: string | null;
                /** Format: uuid */
                id: string;
                name: string;
              }) | null;
              results: ({
                  alert: {
                    dedupKey: string | null;
                    labels: {
                      [key: string]: string;
                    };
                    /** @enum {string} */
                    severity: "critical" | "error" | "warning" | "info";
                    source: string | null;
                    /** @enum {string} */
                    status: "firing" | "acknowledged" | "resolved";
                    title: string;
                  };
                  defaultTeamUsed: boolean;
                  evaluated: {
                      /** @description The first matcher that did not hold */
                      failedMatcher?: {
                        field: string;
                        index: number;
                        op: string;
                      };
                      matched: boolean;
                      position: number;
                      /** Format: uuid */
                      ruleId: string;
                      ruleName: string;
                    }[];
                  matched: {
                      /** Format: uuid */
                      ruleId: string;
                      ruleName: string;
                      /** Format: uuid */
                      teamId: string;
                    }[];
                  /** @description Only firing events are routed; resolve/acknowledge events join the open alert as it was routed */
                  routedAtIngest: boolean;
                  teamIds: string[];
                  teams: {
                      /** Format: uuid */
                      id: string;
                      name: string;
                    }[];
                })[];
            };
          };
        };
      };
    };
  };
  "/api/schedules": {
    /** List schedules (platform admins: all; others: their teams') */
    get: {
      parameters: {
        query?: {
          teamId?: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              schedules: ({
                  /** @description Whether the caller may change this schedule */
                  canManage: boolean;
                  createdAt: string;
                  description: string | null;
                  /** Format: uuid */
                  id: string;
                  name: string;
                  /** Format: uuid */
                  teamId: string;
                  timeZone: string;
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create a schedule (the team's managers, platform admins) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            description?: string | null;
            name: string;
            /** Format: uuid */
            teamId: string;
            timeZone: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** @description Whether the caller may change this schedule */
              canManage: boolean;
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              layers: ({
                  createdAt: string;
                  endsAt: string | null;
                  handoffTime: string | null;
                  handoffWeekday: number | null;
                  /** Format: uuid */
                  id: string;
                  name: string;
                  participantIds: string[];
                  position: number;
                  restrictions: {
                      /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                      days?: number[];
                      /** @description At or before start: the window ends the next day (equal: 24 hours) */
                      end: string;
                      start: string;
                    }[];
                  /** Format: uuid */
                  scheduleId: string;
                  startsAt: string;
                  /** @description null: the schedule's */
                  timeZone: string | null;
                  turnLength: number;
                  /** @enum {string} */
                  turnUnit: "hours" | "days" | "weeks";
                  updatedAt: string;
                  /** @description The rotation history, oldest first; the fields above are the latest */
                  versions: ({
                      createdAt: string;
                      effectiveFrom: string;
                      handoffTime: string | null;
                      handoffWeekday: number | null;
                      participantIds: string[];
                      restrictions: {
                          /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                          days?: number[];
                          /** @description At or before start: the window ends the next day (equal: 24 hours) */
                          end: string;
                          start: string;
                        }[];
                      startIndex: number;
                      turnLength: number;
                      /** @enum {string} */
                      turnUnit: "hours" | "days" | "weeks";
                    })[];
                })[];
              name: string;
              /** Format: uuid */
              teamId: string;
              timeZone: string;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}": {
    /** Get a schedule with its layers */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description Whether the caller may change this schedule */
              canManage: boolean;
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              layers: ({
                  createdAt: string;
                  endsAt: string | null;
                  handoffTime: string | null;
                  handoffWeekday: number | null;
                  /** Format: uuid */
                  id: string;
                  name: string;
                  participantIds: string[];
                  position: number;
                  restrictions: {
                      /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                      days?: number[];
                      /** @description At or before start: the window ends the next day (equal: 24 hours) */
                      end: string;
                      start: string;
                    }[];
                  /** Format: uuid */
                  scheduleId: string;
                  startsAt: string;
                  /** @description null: the schedule's */
                  timeZone: string | null;
                  turnLength: number;
                  /** @enum {string} */
                  turnUnit: "hours" | "days" | "weeks";
                  updatedAt: string;
                  /** @description The rotation history, oldest first; the fields above are the latest */
                  versions: ({
                      createdAt: string;
                      effectiveFrom: string;
                      handoffTime: string | null;
                      handoffWeekday: number | null;
                      participantIds: string[];
                      restrictions: {
                          /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                          days?: number[];
                          /** @description At or before start: the window ends the next day (equal: 24 hours) */
                          end: string;
                          start: string;
                        }[];
                      startIndex: number;
                      turnLength: number;
                      /** @enum {string} */
                      turnUnit: "hours" | "days" | "weeks";
                    })[];
                })[];
              name: string;
              /** Format: uuid */
              teamId: string;
              timeZone: string;
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Delete a schedule */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Rename a schedule, or change its description or time zone */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            description?: string | null;
            name?: string;
            timeZone?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description Whether the caller may change this schedule */
              canManage: boolean;
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              layers: ({
                  createdAt: string;
                  endsAt: string | null;
                  handoffTime: string | null;
                  handoffWeekday: number | null;
                  /** Format: uuid */
                  id: string;
                  name: string;
                  participantIds: string[];
                  position: number;
                  restrictions: {
                      /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                      days?: number[];
                      /** @description At or before start: the window ends the next day (equal: 24 hours) */
                      end: string;
                      start: string;
                    }[];
                  /** Format: uuid */
                  scheduleId: string;
                  startsAt: string;
                  /** @description null: the schedule's */
                  timeZone: string | null;
                  turnLength: number;
                  /** @enum {string} */
                  turnUnit: "hours" | "days" | "weeks";
                  updatedAt: string;
                  /** @description The rotation history, oldest first; the fields above are the latest */
                  versions: ({
                      createdAt: string;
                      effectiveFrom: string;
                      handoffTime: string | null;
                      handoffWeekday: number | null;
                      participantIds: string[];
                      restrictions: {
                          /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                          days?: number[];
                          /** @description At or before start: the window ends the next day (equal: 24 hours) */
                          end: string;
                          start: string;
                        }[];
                      startIndex: number;
                      turnLength: number;
                      /** @enum {string} */
                      turnUnit: "hours" | "days" | "weeks";
                    })[];
                })[];
              name: string;
              /** Format: uuid */
              teamId: string;
              timeZone: string;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}/ical-feeds": {
    /** A schedule's live calendar feeds (managers: all; members: their own) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              feeds: ({
                  createdAt: string;
                  /** Format: uuid */
                  createdBy: string;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  scheduleId: string | null;
                  tokenPrefix: string;
                  /** Format: uuid */
                  userId: string | null;
                })[];
            };
          };
        };
      };
    };
    /** Create a calendar feed URL for a schedule (anyone who can read it); the URL is shown once */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              /** Format: uuid */
              createdBy: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              scheduleId: string | null;
              tokenPrefix: string;
              /** @description /ical/<token>.ics — shown this once; anyone holding it can read the feed */
              url: string;
              /** Format: uuid */
              userId: string | null;
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}/layers": {
    /** Add a layer (rotation) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: date-time */
            endsAt?: string | null;
            /** @description Local handoff time for days/weeks; default: the local time of startsAt */
            handoffTime?: string | null;
            /** @description Handoff weekday for weeks; default: the weekday of startsAt */
            handoffWeekday?: number | null;
            name: string;
            /** @description In rotation order; members of the owning team */
            participantIds: string[];
            /** @description 1 = lowest; default: on top of the existing layers */
            position?: number;
            /** @default [] */
            restrictions?: {
                /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                days?: number[];
                /** @description At or before start: the window ends the next day (equal: 24 hours) */
                end: string;
                start: string;
              }[];
            /** Format: date-time */
            startsAt: string;
            /** @description The layer's own zone for handoffs and restrictions (e.g. follow-the-sun); default: the schedule's */
            timeZone?: string | null;
            turnLength: number;
            /** @enum {string} */
            turnUnit: "hours" | "days" | "weeks";
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              endsAt: string | null;
              handoffTime: string | null;
              handoffWeekday: number | null;
              /** Format: uuid */
              id: string;
              name: string;
              participantIds: string[];
              position: number;
              restrictions: {
                  /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                  days?: number[];
                  /** @description At or before start: the window ends the next day (equal: 24 hours) */
                  end: string;
                  start: string;
                }[];
              /** Format: uuid */
              scheduleId: string;
              startsAt: string;
              /** @description null: the schedule's */
              timeZone: string | null;
              turnLength: number;
              /** @enum {string} */
              turnUnit: "hours" | "days" | "weeks";
              updatedAt: string;
              /** @description The rotation history, oldest first; the fields above are the latest */
              versions: ({
                  createdAt: string;
                  effectiveFrom: string;
                  handoffTime: string | null;
                  handoffWeekday: number | null;
                  participantIds: string[];
                  restrictions: {
                      /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                      days?: number[];
                      /** @description At or before start: the window ends the next day (equal: 24 hours) */
                      end: string;
                      start: string;
                    }[];
                  startIndex: number;
                  turnLength: number;
                  /** @enum {string} */
                  turnUnit: "hours" | "days" | "weeks";
                })[];
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}/layers/{layerId}": {
    /** Delete a layer */
    delete: {
      parameters: {
        path: {
          id: string;
          layerId: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change a layer; rotation changes take effect at the next handoff and never rewrite the past */
    patch: {
      parameters: {
        path: {
          id: string;
          layerId: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: date-time
             * @description When rotation changes take effect (default and earliest: now); they start at the next handoff
             */
            effectiveFrom?: string;
            /**
             * Format: date-time
             * @description Not in the past: ending a layer never rewrites history
             */
            endsAt?: string | null;
            /** @description Local handoff time for days/weeks; default: the local time of startsAt */
            handoffTime?: string | null;
            /** @description Handoff weekday for weeks; default: the weekday of startsAt */
            handoffWeekday?: number | null;
            name?: string;
            /** @description In rotation order; members of the owning team */
            participantIds?: string[];
            position?: number;
            restrictions?: {
                /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                days?: number[];
                /** @description At or before start: the window ends the next day (equal: 24 hours) */
                end: string;
                start: string;
              }[];
            /** @description Who in participantIds takes the first new turn; default: the rotation carries on */
            startIndex?: number;
            turnLength?: number;
            /** @enum {string} */
            turnUnit?: "hours" | "days" | "weeks";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              endsAt: string | null;
              handoffTime: string | null;
              handoffWeekday: number | null;
              /** Format: uuid */
              id: string;
              name: string;
              participantIds: string[];
              position: number;
              restrictions: {
                  /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                  days?: number[];
                  /** @description At or before start: the window ends the next day (equal: 24 hours) */
                  end: string;
                  start: string;
                }[];
              /** Format: uuid */
              scheduleId: string;
              startsAt: string;
              /** @description null: the schedule's */
              timeZone: string | null;
              turnLength: number;
              /** @enum {string} */
              turnUnit: "hours" | "days" | "weeks";
              updatedAt: string;
              /** @description The rotation history, oldest first; the fields above are the latest */
              versions: ({
                  createdAt: string;
                  effectiveFrom: string;
                  handoffTime: string | null;
                  handoffWeekday: number | null;
                  participantIds: string[];
                  restrictions: {
                      /** @description ISO weekdays (1 = Monday) a window starts on; all if absent */
                      days?: number[];
                      /** @description At or before start: the window ends the next day (equal: 24 hours) */
                      end: string;
                      start: string;
                    }[];
                  startIndex: number;
                  turnLength: number;
                  /** @enum {string} */
                  turnUnit: "hours" | "days" | "weeks";
                })[];
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}/oncall": {
    /** Who is on call at an instant (default: now) */
    get: {
      parameters: {
        query?: {
          /** @description Default: now */
          at?: string;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              at: string;
              /** @description Empty when nobody is on call */
              oncall: ({
                  end: string;
                  /** Format: uuid */
                  layerId: string | null;
                  /** Format: uuid */
                  overrideId: string | null;
                  start: string;
                  user: ({
                    email: string;
                    /** Format: uuid */
                    id: string;
                    name: string | null;
                  }) | null;
                  /** Format: uuid */
                  userId: string;
                })[];
              /** Format: uuid */
              scheduleId: string;
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}/overrides": {
    /** List overrides (optionally those overlapping from/to) */
    get: {
      parameters: {
        query?: {
          /** @description Default: now */
          from?: string;
          /** @description Default: from + 7 days (schedules) or 30 days (users); at most 400 days */
          to?: string;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              overrides: ({
                  createdAt: string;
                  createdBy: string | null;
                  endsAt: string;
                  /** Format: uuid */
                  id: string;
                  note: string | null;
                  /** Format: uuid */
                  scheduleId: string;
                  startsAt: string;
                  /** Format: uuid */
                  userId: string;
                })[];
            };
          };
        };
      };
    };
    /** Add an override: a team member covers from startsAt to endsAt (the latest created wins) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: date-time */
            endsAt: string;
            note?: string | null;
            /** Format: date-time */
            startsAt: string;
            /** Format: uuid */
            userId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              createdBy: string | null;
              endsAt: string;
              /** Format: uuid */
              id: string;
              note: string | null;
              /** Format: uuid */
              scheduleId: string;
              startsAt: string;
              /** Format: uuid */
              userId: string;
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}/overrides/{overrideId}": {
    /** Delete an override */
    delete: {
      parameters: {
        path: {
          id: string;
          overrideId: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change who covers an override, its span or its note (it keeps its precedence) */
    patch: {
      parameters: {
        path: {
          id: string;
          overrideId: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** Format: date-time */
            endsAt?: string;
            note?: string | null;
            /** Format: date-time */
            startsAt?: string;
            /** Format: uuid */
            userId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              createdBy: string | null;
              endsAt: string;
              /** Format: uuid */
              id: string;
              note: string | null;
              /** Format: uuid */
              scheduleId: string;
              startsAt: string;
              /** Format: uuid */
              userId: string;
            };
          };
        };
      };
    };
  };
  "/api/schedules/{id}/spans": {
    /** The computed on-call timeline over [from, to) (at most 400 days; default: the next 7 days) */
    get: {
      parameters: {
        query?: {
          /** @description Default: now */
          from?: string;
          /** @description Default: from + 7 days (schedules) or 30 days (users); at most 400 days */
          to?: string;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              from: string;
              layers: ({
                  /** Format: uuid */
                  layerId: string;
                  name: string;
                  position: number;
                  spans: ({
                      end: string;
                      /** Format: uuid */
                      layerId: string | null;
                      /** Format: uuid */
                      overrideId: string | null;
                      start: string;
                      /** Format: uuid */
                      userId: string;
                    })[];
                })[];
              /** Format: uuid */
              scheduleId: string;
              /** @description The final timeline: overrides, then the highest layer covering each instant */
              spans: ({
                  end: string;
                  /** Format: uuid */
                  layerId: string | null;
                  /** Format: uuid */
                  overrideId: string | null;
                  /** @description When the whole shift ends, which may be after `to`; null: further ahead than 200 days */
                  shiftEnd: string | null;
                  /** @description When the whole shift starts, which may be before `from`; null: further back than 200 days */
                  shiftStart: string | null;
                  start: string;
                  /** Format: uuid */
                  userId: string;
                })[];
              timeZone: string;
              to: string;
              users: ({
                  email: string;
                  /** Format: uuid */
                  id: string;
                  name: string | null;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/sessions": {
    /** Your console sessions that still work, newest first (`current`: the one of this request) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              sessions: ({
                  createdAt: string;
                  current: boolean;
                  /** Format: uuid */
                  id: string;
                  ip: string | null;
                  lastSeenAt: string;
                  userAgent: string | null;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/sessions/{id}": {
    /** End one of your sessions (another browser or device) at once */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/setup": {
    /** Whether Klaxon still needs its first admin (no user exists yet) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              command?: string;
              /** @enum {string} */
              database?: "embedded" | "postgres";
              setupNeeded: boolean;
            };
          };
        };
      };
    };
    /** Create the first platform admin with the one-time setup link printed at start-up, and sign in (only while no user exists) */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** Format: email */
            email: string;
            name: string;
            password: string;
            token: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              /** @enum {string} */
              authMethod: "session" | "api-key";
              csrfToken: string | null;
              email: string;
              /** Format: uuid */
              id: string;
              isPlatformAdmin: boolean;
              name: string | null;
              sessionExpiresAt: string | null;
            };
          };
        };
      };
    };
  };
  "/api/silences": {
    /** List silences, newest first */
    get: {
      parameters: {
        query?: {
          state?: "pending" | "active" | "expired";
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              silences: ({
                  comment: string;
                  createdAt: string;
                  createdBy: string;
                  /** Format: uuid */
                  createdByUserId: string | null;
                  endsAt: string;
                  /** Format: uuid */
                  id: string;
                  matchers: {
                      isEqual: boolean;
                      isRegex: boolean;
                      name: string;
                      value: string;
                    }[];
                  startsAt: string;
                  /** @enum {string} */
                  state: "pending" | "active" | "expired";
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create a silence */
    post: {
      requestBody: {
        content: {
          "application/json": {
            comment: string;
            /** @description Default: the caller's email */
            createdBy?: string;
            durationMinutes?: number;
            /**
             * Format: date-time
             * @description Give endsAt or durationMinutes
             */
            endsAt?: string;
            matchers: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
            /**
             * Format: date-time
             * @description Default: now
             */
            startsAt?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              comment: string;
              createdAt: string;
              createdBy: string;
              /** Format: uuid */
              createdByUserId: string | null;
              endsAt: string;
              /** Format: uuid */
              id: string;
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              startsAt: string;
              /** @enum {string} */
              state: "pending" | "active" | "expired";
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/silences/{id}": {
    /** Get a silence */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              comment: string;
              createdAt: string;
              createdBy: string;
              /** Format: uuid */
              createdByUserId: string | null;
              endsAt: string;
              /** Format: uuid */
              id: string;
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              startsAt: string;
              /** @enum {string} */
              state: "pending" | "active" | "expired";
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Change a pending or active silence */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            comment?: string;
            /** Format: date-time */
            endsAt?: string;
            matchers?: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
            /** Format: date-time */
            startsAt?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              comment: string;
              createdAt: string;
              createdBy: string;
              /** Format: uuid */
              createdByUserId: string | null;
              endsAt: string;
              /** Format: uuid */
              id: string;
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              startsAt: string;
              /** @enum {string} */
              state: "pending" | "active" | "expired";
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/silences/{id}/expire": {
    /** Expire a silence now */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              comment: string;
              createdAt: string;
              createdBy: string;
              /** Format: uuid */
              createdByUserId: string | null;
              endsAt: string;
              /** Format: uuid */
              id: string;
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              startsAt: string;
              /** @enum {string} */
              state: "pending" | "active" | "expired";
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/simulate": {
    /** Predict what a payload would do (routing, suppression, incidents, who is paged), storing nothing */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /**
             * Format: date-time
             * @description The instant to simulate (default: now)
             */
            at?: string;
            /** @description The integration's name */
            integration?: string;
            /** Format: uuid */
            integrationId?: string;
            payload: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alerts: ({
                  /** @enum {string} */
                  action: "created" | "deduplicated" | "resolved" | "ignored";
                  dedupKey: string;
                  entries: ({
                      at: string;
                      kind: string;
                      message: string;
                      refs: {
                        [key: string]: string | string[];
                      };
                    })[];
                  levels: {
                      at: string;
                      emptyScheduleIds: string[];
                      level: number;
                      notifications: {
                          contactMethodId: string;
                          contactMethodType: string;
                          delayMinutes: number;
                          userId: string;
                        }[];
                      policyId: string;
                      teamId: string;
                      unreachableUserIds: string[];
                      userIds: string[];
                    }[];
                  status: string;
                  suppressedBy: {
                    id: string;
                    kind: string;
                    sourceAlertId?: string;
                  } | null;
                  teamIds: string[];
                  title: string;
                })[];
              at: string;
              integration: {
                id: string;
                name: string;
              };
            };
          };
        };
      };
    };
  };
  "/api/slack/link": {
    /** The caller's Slack link */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description Whether the server has a Slack app (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) */
              configured: boolean;
              linked: boolean;
              slackUserId: string | null;
            };
          };
        };
      };
    };
    /** Link the caller's Slack account (the workspace member with the caller's email) and DM it */
    post: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @description Whether the server has a Slack app (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) */
              configured: boolean;
              linked: boolean;
              slackUserId: string | null;
            };
          };
        };
      };
    };
    /** Unlink the caller's Slack account */
    delete: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/slack/link/test": {
    /** Send a test DM to the caller's linked Slack account */
    post: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/teams": {
    /** List teams (platform admins: all; others: their own) */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              teams: ({
                  createdAt: string;
                  description: string | null;
                  /** Format: uuid */
                  id: string;
                  memberCount: number;
                  name: string;
                  /**
                   * @description The caller's role in this team; null if not a member
                   * @enum {string|null}
                   */
                  role: "member" | "manager" | null;
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create a team */
    post: {
      requestBody: {
        content: {
          "application/json": {
            description?: string | null;
            name: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              memberCount: number;
              name: string;
              /**
               * @description The caller's role in this team; null if not a member
               * @enum {string|null}
               */
              role: "member" | "manager" | null;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/teams/{id}": {
    /** Get one team */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              memberCount: number;
              name: string;
              /**
               * @description The caller's role in this team; null if not a member
               * @enum {string|null}
               */
              role: "member" | "manager" | null;
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Delete a team (409 team-in-use while routing rules or integrations point at it) */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Rename a team or change its description */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            description?: string | null;
            name?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              description: string | null;
              /** Format: uuid */
              id: string;
              memberCount: number;
              name: string;
              /**
               * @description The caller's role in this team; null if not a member
               * @enum {string|null}
               */
              role: "member" | "manager" | null;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/teams/{id}/member-candidates": {
    /** People a team's managers may add: enabled accounts not in the team yet */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              candidates: ({
                  email: string;
                  /** Format: uuid */
                  id: string;
                  name: string | null;
                })[];
            };
          };
        };
      };
    };
  };
  "/api/teams/{id}/members": {
    /** List a team's members */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              members: ({
                  createdAt: string;
                  email: string;
                  name: string | null;
                  /** @enum {string} */
                  role: "member" | "manager";
                  /** Format: uuid */
                  userId: string;
                })[];
            };
          };
        };
      };
    };
    /** Add a user to a team (the team's managers and platform admins) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /**
             * @default member
             * @enum {string}
             */
            role?: "member" | "manager";
            /** Format: uuid */
            userId: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              email: string;
              name: string | null;
              /** @enum {string} */
              role: "member" | "manager";
              /** Format: uuid */
              userId: string;
            };
          };
        };
      };
    };
  };
  "/api/teams/{id}/members/{userId}": {
    /** Remove a user from a team (409 last-team-manager when a manager would leave none) */
    delete: {
      parameters: {
        path: {
          id: string;
          userId: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
    /** Change a member's role (409 last-team-manager when a manager would leave none) */
    patch: {
      parameters: {
        path: {
          id: string;
          userId: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @enum {string} */
            role: "member" | "manager";
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              email: string;
              name: string | null;
              /** @enum {string} */
              role: "member" | "manager";
              /** Format: uuid */
              userId: string;
            };
          };
        };
      };
    };
  };
  "/api/teams/{id}/slack-channel": {
    /** The team's Slack channel */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              channelId: string | null;
              configured: boolean;
            };
          };
        };
      };
    };
    /** Set the team's Slack channel (managers); null removes it */
    put: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            channelId: string | null;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              channelId: string | null;
              configured: boolean;
            };
          };
        };
      };
    };
  };
  "/api/teams/{teamId}/incident-grouping": {
    /** The team's incident grouping rule (null: every alert opens its own incident) */
    get: {
      parameters: {
        path: {
          teamId: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              rule: {
                groupBy: string[];
                /** Format: uuid */
                teamId: string;
                windowMinutes: number;
              } | null;
            };
          };
        };
      };
    };
    /** Group alerts with equal values of these labels into one incident, within a window */
    put: {
      parameters: {
        path: {
          teamId: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            groupBy: string[];
            windowMinutes: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              groupBy: string[];
              /** Format: uuid */
              teamId: string;
              windowMinutes: number;
            };
          };
        };
      };
    };
    /** Stop grouping: every alert opens its own incident */
    delete: {
      parameters: {
        path: {
          teamId: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/teams/{teamId}/urgency": {
    /** The team's urgency map and support hours (defaults when never saved) */
    get: {
      parameters: {
        path: {
          teamId: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              highUrgencySeverities: ("critical" | "error" | "warning" | "info")[];
              /** @enum {string} */
              outsideHours: "defer" | "never";
              /** Format: uuid */
              teamId: string;
              timeZone: string | null;
              windows: {
                  day: number;
                  end: string;
                  start: string;
                }[];
            };
          };
        };
      };
    };
    /** Set which severities are high urgency, the support hours, and what happens outside them */
    put: {
      parameters: {
        path: {
          teamId: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            highUrgencySeverities: ("critical" | "error" | "warning" | "info")[];
            /** @enum {string} */
            outsideHours: "defer" | "never";
            timeZone: string | null;
            windows: {
                day: number;
                end: string;
                start: string;
              }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              highUrgencySeverities: ("critical" | "error" | "warning" | "info")[];
              /** @enum {string} */
              outsideHours: "defer" | "never";
              /** Format: uuid */
              teamId: string;
              timeZone: string | null;
              windows: {
                  day: number;
                  end: string;
                  start: string;
                }[];
            };
          };
        };
      };
    };
  };
  "/api/users": {
    /** List users */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              users: ({
                  createdAt: string;
                  disabledAt: string | null;
                  email: string;
                  hasPassword: boolean;
                  /** Format: uuid */
                  id: string;
                  isPlatformAdmin: boolean;
                  name: string | null;
                  updatedAt: string;
                })[];
            };
          };
        };
      };
    };
    /** Create a user */
    post: {
      requestBody: {
        content: {
          "application/json": {
            /** Format: email */
            email: string;
            isPlatformAdmin?: boolean;
            name?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              disabledAt: string | null;
              email: string;
              hasPassword: boolean;
              /** Format: uuid */
              id: string;
              isPlatformAdmin: boolean;
              name: string | null;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/users/{id}/disable": {
    /** Disable an account: its keys, sessions, feeds, links and live streams stop working at once */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              disabledAt: string | null;
              email: string;
              hasPassword: boolean;
              /** Format: uuid */
              id: string;
              isPlatformAdmin: boolean;
              name: string | null;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/users/{id}/enable": {
    /** Enable a disabled account again */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              createdAt: string;
              disabledAt: string | null;
              email: string;
              hasPassword: boolean;
              /** Format: uuid */
              id: string;
              isPlatformAdmin: boolean;
              name: string | null;
              updatedAt: string;
            };
          };
        };
      };
    };
  };
  "/api/users/{id}/ical-feeds": {
    /** A person's live calendar feeds (self or platform admin) */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              feeds: ({
                  createdAt: string;
                  /** Format: uuid */
                  createdBy: string;
                  /** Format: uuid */
                  id: string;
                  /** Format: uuid */
                  scheduleId: string | null;
                  tokenPrefix: string;
                  /** Format: uuid */
                  userId: string | null;
                })[];
            };
          };
        };
      };
    };
    /** Create a calendar feed URL of a person's shifts (self or platform admin); the URL is shown once */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              createdAt: string;
              /** Format: uuid */
              createdBy: string;
              /** Format: uuid */
              id: string;
              /** Format: uuid */
              scheduleId: string | null;
              tokenPrefix: string;
              /** @description /ical/<token>.ics — shown this once; anyone holding it can read the feed */
              url: string;
              /** Format: uuid */
              userId: string | null;
            };
          };
        };
      };
    };
  };
  "/api/users/{id}/oncall": {
    /** A person's shifts across all schedules (self or platform admin; default: the next 30 days) */
    get: {
      parameters: {
        query?: {
          /** @description Default: now */
          from?: string;
          /** @description Default: from + 7 days (schedules) or 30 days (users); at most 400 days */
          to?: string;
        };
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              from: string;
              shifts: ({
                  end: string;
                  /** Format: uuid */
                  layerId: string | null;
                  /** Format: uuid */
                  overrideId: string | null;
                  /** Format: uuid */
                  scheduleId: string;
                  scheduleName: string;
                  start: string;
                  /** Format: uuid */
                  teamId: string;
                  /** Format: uuid */
                  userId: string;
                })[];
              to: string;
              /** Format: uuid */
              userId: string;
            };
          };
        };
      };
    };
  };
  "/api/users/{id}/password": {
    /** Set a user's console password (invite or reset); ends the user's sessions */
    put: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            password: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/users/{id}/password-link": {
    /** Create a one-time link with which the user sets their own password (optionally emailed); replaces earlier links */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            /** @default false */
            email?: boolean;
          } | null;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          content: {
            "application/json": {
              emailed: boolean;
              emailError: string | null;
              expiresAt: string;
              /** @enum {string} */
              purpose: "invite" | "reset";
              url: string;
            };
          };
        };
      };
    };
  };
  "/api/users/{id}/sign-out-everywhere": {
    /** End every session of a person and close their live-update streams (their API keys stay) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              revokedSessions: number;
            };
          };
        };
      };
    };
  };
  "/api/v2/silence/{silenceID}": {
    /** Alertmanager v2: get a silence */
    get: {
      parameters: {
        path: {
          silenceID: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              comment: string;
              createdBy: string;
              endsAt: string;
              id: string;
              matchers: {
                  isEqual: boolean;
                  isRegex: boolean;
                  name: string;
                  value: string;
                }[];
              startsAt: string;
              status: {
                /** @enum {string} */
                state: "expired" | "active" | "pending";
              };
              updatedAt: string;
            };
          };
        };
      };
    };
    /** Alertmanager v2: expire a silence */
    delete: {
      parameters: {
        path: {
          silenceID: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/api/v2/silences": {
    /** Alertmanager v2: list silences (filter: matchers) */
    get: {
      parameters: {
        query?: {
          filter?: string | string[];
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": ({
                comment: string;
                createdBy: string;
                endsAt: string;
                id: string;
                matchers: {
                    isEqual: boolean;
                    isRegex: boolean;
                    name: string;
                    value: string;
                  }[];
                startsAt: string;
                status: {
                  /** @enum {string} */
                  state: "expired" | "active" | "pending";
                };
                updatedAt: string;
              })[];
          };
        };
      };
    };
    /** Alertmanager v2: create a silence, or update one by id */
    post: {
      requestBody: {
        content: {
          "application/json": {
            comment: string;
            createdBy: string;
            /** Format: date-time */
            endsAt: string;
            id?: string;
            matchers: {
                /** @default true */
                isEqual?: boolean;
                /** @default false */
                isRegex?: boolean;
                name: string;
                value: string;
              }[];
            /** Format: date-time */
            startsAt: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              silenceID: string;
            };
          };
        };
      };
    };
  };
  "/healthz": {
    /** The process is up */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "ok";
            };
          };
        };
      };
    };
  };
  "/ical/{file}": {
    /** A calendar feed (iCalendar); the token in the URL is the credential */
    get: {
      parameters: {
        path: {
          file: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/klaxon.schema.json": {
    /** JSON Schema of klaxon.yaml, for editors */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: never;
        };
      };
    };
  };
  "/readyz": {
    /** The database is reachable */
    get: {
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              database: "ok";
              /** @enum {string} */
              status: "ready";
            };
          };
        };
      };
    };
  };
  "/v2/enqueue": {
    /** PagerDuty Events API v2: trigger, acknowledge or resolve (routing_key = an integration secret) */
    post: {
      responses: {
        /** @description Default Response */
        202: {
          content: {
            "application/json": {
              dedup_key?: string;
              message: string;
              status: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          content: {
            "application/json": {
              errors: string[];
              message: string;
              status: string;
            };
          };
        };
        /** @description Default Response */
        429: {
          content: {
            "application/json": {
              dedup_key?: string;
              message: string;
              status: string;
            };
          };
        };
      };
    };
  };
  "/webhooks/alerts/{name}": {
    /** Receive alerts from a monitoring tool (authenticated by the integration signature) */
    post: {
      parameters: {
        path: {
          name: string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          content: {
            "application/json": {
              alerts: unknown[];
              /** Format: uuid */
              deliveryId: string;
              /** Format: uuid */
              duplicateOf: string;
            };
          };
        };
        /** @description Default Response */
        202: {
          content: {
            "application/json": {
              alerts: ({
                  /** @enum {string} */
                  action: "created" | "deduplicated" | "resolved" | "ignored";
                  dedupKey: string;
                  /** Format: uuid */
                  id: string | null;
                })[];
              /** Format: uuid */
              deliveryId: string;
            };
          };
        };
      };
    };
  };
};

export type webhooks = Record<string, never>;

export type components = {
  schemas: {
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
};

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export type operations = Record<string, never>;
